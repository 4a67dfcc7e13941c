import { createHash } from 'node:crypto';

/** The app's one stylesheet, inlined in every page and allowed by its hash in the CSP. */
export const STYLE = `
:root{--fg:#1b1b1b;--muted:#5a5a5a;--bg:#fff;--line:#d8d8d8;--accent:#a50e0e;--ok:#17663a;--warn:#8a5300;--bad:#a50e0e}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:var(--accent);color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}header a{color:#fff}
.account{margin-left:auto;display:flex;gap:.5rem;align-items:center;font-size:.9rem}
button,.button{min-height:44px;min-width:44px;font:inherit;padding:.45rem .9rem;border-radius:.4rem;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}a.button{display:inline-flex;align-items:center}.actions .button{font-size:.9rem;padding:.3rem .6rem}
input[type=email],input[type=date],input[type=text],input[type=search],input[type=file],select,textarea{min-height:44px;font:inherit;padding:.45rem;border:1px solid var(--line);border-radius:.4rem;max-width:100%}
label{display:block;margin:.5rem 0 .25rem;font-weight:600}
:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
.inline{display:inline-block;margin:.15rem .25rem .15rem 0}.actions button{font-size:.9rem;padding:.3rem .6rem}
header nav ul{display:flex;gap:.25rem;list-style:none;margin:0;padding:0}header nav a,header a.switch{display:inline-flex;align-items:center;min-height:44px;padding:0 .6rem}
ul.plain{list-style:none;margin:0;padding:0}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.notice{background:#fff7e0;border:1px solid #e5c07b;border-radius:.5rem;padding:.5rem 1rem}
main{max-width:64rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.muted{color:var(--muted)}.on_time{color:var(--ok)}.late{color:var(--warn)}.missing{color:var(--bad)}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
.rates{display:flex;gap:1rem;flex-wrap:wrap}.rates div{border:1px solid var(--line);border-radius:.5rem;padding:.5rem 1rem}
.field-note{margin:.15rem 0 .5rem;font-size:.95rem}.field-missing{color:var(--warn);font-weight:600}.field-error{color:var(--bad);font-weight:600}.error{background:#fdecea;border:1px solid var(--bad);border-radius:.5rem;padding:.5rem 1rem}
input[aria-invalid=true],textarea[aria-invalid=true],select[aria-invalid=true]{border:2px solid var(--bad)}.link-action{display:inline-flex;align-items:center;min-height:44px;padding:0 .5rem}ol.tasks{list-style:none;padding-left:0}ol.tasks li{margin:.35rem 0}.wide{width:100%}fieldset{border:1px solid var(--line);border-radius:.5rem;margin:.75rem 0;padding:.5rem 1rem;min-width:0}legend{font-weight:600;padding:0 .25rem}
.checkbox{display:flex;align-items:center;gap:.5rem;min-height:44px;font-weight:400}.checkbox input{width:24px;height:24px;margin:0}.row{display:flex;gap:1rem;flex-wrap:wrap}
.page-head{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;justify-content:space-between}dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.kv dt{font-weight:600}dl.kv dd{margin:0}
@media (max-width:40rem){table,thead,tbody,tr,td,th{display:block}thead{display:none}td{border:0;padding:.15rem 0}tr{border-bottom:1px solid var(--line);padding:.5rem 0}td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}}
.chart{margin:1rem 0}.chart svg{display:block;width:100%;height:auto;max-width:32rem}.chart figcaption{margin:.5rem 0}summary{padding:.65rem 0;cursor:pointer}
.filters ul{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;margin:.5rem 0 1rem;padding:0}.filters a{display:inline-flex;align-items:center;gap:.3rem;min-height:44px;padding:0 .9rem;border:1px solid var(--muted);border-radius:1.4rem;color:var(--fg);text-decoration:none}.filters a[aria-current]{background:var(--fg);border-color:var(--fg);color:#fff;font-weight:700}
.unit-link,.file-links a,.files a{display:inline-flex;align-items:center;min-height:44px}.note{white-space:pre-wrap}.notes p{margin:.25rem 0}.notes{list-style:none;padding:0}.notes h3{font-size:1rem;margin:1rem 0 .25rem}.facts div{display:flex;flex-wrap:wrap;gap:0 .5rem;margin:.25rem 0}.facts dt{font-weight:600}.facts dt::after{content:":"}.facts dd{margin:0}.notice.error{background:#fdeaea;border-color:var(--bad)}
@media (min-width:40rem){td.actions{white-space:nowrap}}
@media print{header,.filters,.actions,.no-print,form.inline,a.button{display:none}.chart svg{max-width:100%}}
`;

/** CSP source for STYLE: `'sha256-…'`. */
export const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

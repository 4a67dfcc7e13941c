/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): Excel, LibreOffice and Google Sheets run
 * a cell that starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)` makes a link,
 * `=cmd|…` once ran programs), and a leading tab or carriage return hides such a start from a
 * quick look. Free text that users typed (unit ids and names) is checked with this one rule
 * wherever it goes into a spreadsheet: summary.csv gets a leading `'`, tong-hop.xlsx a cell style
 * with `quotePrefix`, which keeps the cell text when someone edits it.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a spreadsheet would take `text` as a formula (or a formula behind whitespace). */
export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text);
}

import { html, page } from '#functions/http/html.ts';

interface Ctx {
  committeeName: string;
}

/** The sign-in form: one field, the committee address. */
export function renderSignIn(ctx: Ctx, message?: string): string {
  return page(
    'Đăng nhập',
    html`<h1>Đăng nhập</h1>
      ${message ? html`<p class="notice" role="alert">${message}</p>` : ''}
      <p>Trang dành cho văn phòng Đảng ủy. Nhập địa chỉ e-mail của văn phòng; hệ thống gửi một liên kết đăng nhập dùng một lần.</p>
      <form method="post" action="/admin/sign-in">
        <label for="email">Địa chỉ e-mail</label>
        <input id="email" name="email" type="email" autocomplete="email" required size="32">
        <p><button type="submit">Gửi liên kết đăng nhập</button></p>
      </form>`,
    ctx,
  );
}

/** The same answer whether or not the address may sign in. */
export function renderCheckMail(ctx: Ctx): string {
  return page(
    'Kiểm tra hộp thư',
    html`<h1>Kiểm tra hộp thư</h1>
      <p role="status">Nếu địa chỉ này thuộc văn phòng Đảng ủy, một liên kết đăng nhập vừa được gửi tới. Liên kết dùng được một lần trong 15 phút.</p>
      <p><a href="/admin/sign-in">Gửi lại</a></p>`,
    ctx,
  );
}

/**
 * Following the e-mailed link shows a button; only the button's POST uses the link. Mail
 * scanners that fetch links in advance therefore cannot spend it.
 */
export function renderConfirmSignIn(ctx: Ctx, secret: string): string {
  return page(
    'Xác nhận đăng nhập',
    html`<h1>Xác nhận đăng nhập</h1>
      <form method="post" action="/admin/sign-in/${secret}">
        <p><button type="submit">Đăng nhập</button></p>
      </form>`,
    ctx,
  );
}

import { html, page } from '#functions/http/html.ts';
import { returnQuery } from '#shared/committee/sign-in.ts';

interface Ctx {
  committeeName: string;
}

/**
 * The sign-in form: one field, the committee address. With `next` (a page of the app the member
 * was sent away from: shared/committee/return-path.ts), the session had ended: the form says so
 * and carries the page along, so that signing in returns there.
 */
export function renderSignIn(ctx: Ctx, message?: string, next?: string): string {
  const action = `/admin/sign-in${returnQuery(next)}`;
  const expired = !message && returnQuery(next) !== '';
  return page(
    'Đăng nhập',
    html`<h1>Đăng nhập</h1>
      ${message ? html`<p class="notice" role="alert">${message}</p>` : ''}
      ${expired ? html`<p class="notice" role="status">Phiên đăng nhập đã hết hạn hoặc chưa đăng nhập. Hãy nhận liên kết đăng nhập mới; sau khi đăng nhập, hệ thống trở lại trang đang xem.</p>` : ''}
      <p>Trang dành cho văn phòng Đảng ủy. Nhập địa chỉ e-mail của văn phòng; hệ thống gửi một liên kết đăng nhập dùng một lần.</p>
      <form method="post" action="${action}">
        <label for="email">Địa chỉ e-mail</label>
        <input id="email" name="email" type="email" autocomplete="email" required size="32">
        <p><button type="submit">Gửi liên kết đăng nhập</button></p>
      </form>`,
    ctx,
  );
}

/** The same answer whether or not the address may sign in. */
export function renderCheckMail(ctx: Ctx, next?: string): string {
  return page(
    'Kiểm tra hộp thư',
    html`<h1>Kiểm tra hộp thư</h1>
      <p role="status">Nếu địa chỉ này thuộc văn phòng Đảng ủy, một liên kết đăng nhập vừa được gửi tới. Liên kết dùng được một lần trong 15 phút. Hãy mở thư mới nhất: các liên kết gửi trước đó không còn cần đến.</p>
      <p><a href="/admin/sign-in${returnQuery(next)}">Chưa nhận được thư? Gửi lại liên kết</a></p>`,
    ctx,
  );
}

/**
 * Following the e-mailed link shows a button; only the button's POST uses the link. Mail
 * scanners that fetch links in advance therefore cannot spend it.
 */
export function renderConfirmSignIn(ctx: Ctx, secret: string, next?: string): string {
  return page(
    'Xác nhận đăng nhập',
    html`<h1>Xác nhận đăng nhập</h1>
      <form method="post" action="/admin/sign-in/${secret}${returnQuery(next)}">
        <p><button type="submit">Đăng nhập</button></p>
      </form>`,
    ctx,
  );
}

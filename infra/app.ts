/**
 * Entry point of the CDK CLI (`cdk.json`: `npx tsx infra/app.ts`). Context values:
 *
 * | key | default | meaning |
 * | --- | --- | --- |
 * | `stage` | `dev` | deployment name; stacks are `Baocao-<stage>-Stateful` and `Baocao-<stage>-Service` |
 * | `committeeName` | `Đảng ủy Sở` | the committee's name in pages, e-mails and reports |
 * | `committeePlace` | none (dots) | the place in the compiled report's date line ("Hải Dương, ngày … tháng … năm …") |
 * | `superiorCommittee` | from the plan's "Nơi nhận" | the superior committee in the compiled report's header and "Nơi nhận" |
 * | `timeZone` | `Asia/Ho_Chi_Minh` | IANA zone in which deadlines are calendar dates |
 * | `senderEmail` | `no-reply@example.org` (synth only) | SES-verified sender; required to deploy |
 * | `senderDomain` | none | verify this domain in SES (DKIM) instead of the single address |
 * | `committeeEmails` | none | comma-separated addresses allowed to sign in to `/admin` |
 * | `alarmEmail` | none | address that receives operational alarms |
 * | `appOrigin` | the HTTP API URL | origin the app is served from (CORS, links in e-mails) |
 * | `certificateArn` | none | ACM certificate of `appOrigin`'s host: maps that domain to the API |
 * | `reportRetentionYears` | `10` | years each kept report is locked (Object Lock) and monthly table backups are kept |
 * | `reportLockMode` | `GOVERNANCE` | Object Lock mode of kept reports: `GOVERNANCE` or `COMPLIANCE` |
 *
 * e.g. `npx cdk deploy --all -c stage=prod -c senderEmail=baocao@example.vn -c committeeEmails=a@example.vn,b@example.vn`.
 * Every value is validated (zod, which the CDK app alone uses) before any construct is built; see infra/config.ts and
 * docs/infra.md.
 */
import { buildApp } from './build-app.ts';
import { writeUploadScript } from './bundling/upload-script.ts';
import { ConfigError } from './config.ts';

// The public-api bundle inlines the upload page's script: build it (build output, not committed)
// before synth bundles the functions, so `npx cdk …` works on a fresh clone and never ships a
// stale script.
await writeUploadScript();

try {
  buildApp().app.synth();
} catch (error) {
  // A bad context value is the operator's typo, not a crash: print the message, no stack.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}

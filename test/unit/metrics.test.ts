import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MailTemplate } from '#shared/domain/mail-message.ts';
import {
  MAIL_METRICS,
  METRIC_PUBLISHERS,
  METRICS,
  type MetricName,
  mailMetricsFor,
  metricsOf,
} from '#shared/metrics.ts';
import { ROOT, sourceFiles } from '#test/support/sources.ts';

const NAMES = Object.keys(METRIC_PUBLISHERS) as MetricName[];
const MAP = 'shared/metrics.ts';
/** Every source but the map itself. */
const sources = () => sourceFiles().filter((f) => f.path !== MAP);

/** `file:line: text` of each line of the sources that matches `pattern`. */
function linesMatching(pattern: RegExp): string[] {
  return sources().flatMap((f) =>
    f.text
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${f.path}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('business metrics (one map: shared/metrics.ts)', () => {
  it('names each metric by itself, in PascalCase', () => {
    for (const name of NAMES) {
      expect(METRICS[name]).toBe(name);
      expect(name).toMatch(/^[A-Z][A-Za-z]+$/);
    }
    expect(Object.keys(METRICS)).toEqual(NAMES);
  });

  it('is the only place a metric is named: no addMetric or metricName with a string literal elsewhere', () => {
    // Assess
    expect(linesMatching(/addMetric\(\s*['"`]/)).toEqual([]);
    expect(linesMatching(/metricName:\s*['"`]/)).toEqual([]);
  });

  it('is the only place a metric name is spelt as a string (e.g. in a map of outcomes to names)', () => {
    // Prepare: quoted strings only (backticks name metrics in TSDoc).
    const spelt = new RegExp(`(['"])(${NAMES.join('|')})\\1`);

    // Assess
    expect(linesMatching(spelt)).toEqual([]);
  });

  it('has each metric published by the function the map names', () => {
    for (const name of NAMES) {
      const publisher = METRIC_PUBLISHERS[name];
      const source = readFileSync(`${ROOT}functions/${publisher}.ts`, 'utf8');
      const viaMailer =
        publisher === 'mailer' &&
        source.includes('mailMetricsFor(') &&
        Object.values(MAIL_METRICS).some((m) => m.sent === name || m.failed === name);
      const total = publisher === 'mailer' && (name === 'MailSent' || name === 'MailFailed');
      expect(
        source.includes(`METRICS.${name}`) || viaMailer || total,
        `${name} in functions/${publisher}.ts`,
      ).toBe(true);
    }
  });

  it('counts each kind of e-mail under its own pair, besides the totals', () => {
    // Prepare
    const templates = Object.keys(MAIL_METRICS) as MailTemplate[];
    const pairs = templates.map((t) => MAIL_METRICS[t]);

    // Assess: no two kinds share a metric, and every one is the mailer's, named …Sent / …Failed.
    expect(new Set(pairs.flatMap((p) => [p.sent, p.failed])).size).toBe(2 * templates.length);
    for (const { sent, failed } of pairs) {
      expect(sent.replace(/Sent$/, 'Failed')).toBe(failed);
      expect([METRIC_PUBLISHERS[sent], METRIC_PUBLISHERS[failed]]).toEqual(['mailer', 'mailer']);
    }
    expect(mailMetricsFor('sign-in', 'sent')).toEqual(['MailSent', 'SignInMailSent']);
    expect(mailMetricsFor('digest', 'failed')).toEqual(['MailFailed', 'DigestFailed']);
    expect(mailMetricsFor('reminder', 'sent')).toEqual(['MailSent', 'ReminderSent']);
    expect(mailMetricsFor('export-ready', 'sent')).not.toContain('ReminderSent');
    expect(mailMetricsFor('link', 'skipped')).toEqual([]);
    expect(metricsOf('mailer')).toHaveLength(2 + 2 * templates.length);
  });

  it('is listed in README (Operations), every name', () => {
    // Prepare
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const operations = readme.slice(readme.indexOf('## Operations'), readme.indexOf('## Cost'));

    // Assess
    expect(NAMES.filter((name) => !operations.includes(`\`${name}\``))).toEqual([]);
  });
});

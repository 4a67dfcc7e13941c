/**
 * The plan corpus (test/fixtures/plans/ and its corpus/ folder): plan documents written for the
 * tests (and the seed plan), in .txt (UTF-8 and UTF-16), .docx (typed and automatic numbering)
 * and .pdf, each with the fields it must give in a `.expected.json` beside it. One table-driven
 * test reads them all and prints a per-field score; every field must match.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessDocumentReader } from '#functions/document-reader.ts';
import { type PlanDraft, parsePlanDraft } from '#shared/plans/parse-plan.ts';
import { readPlanDocument } from '#shared/plans/read-plan-document.ts';

const FOLDERS = [
  new URL('../../fixtures/plans/', import.meta.url),
  new URL('../../fixtures/plans/corpus/', import.meta.url),
];

interface Fixture {
  name: string;
  document: URL;
  expected: Record<string, unknown>;
}

function fixtures(): Fixture[] {
  return FOLDERS.flatMap((folder) => {
    const files = readdirSync(folder);
    return files
      .filter((file) => file.endsWith('.expected.json'))
      .map((file) => {
        const base = file.replace(/\.expected\.json$/, '');
        const document = files.find(
          (other) => other !== file && other.startsWith(`${base}.`) && !other.endsWith('.json'),
        );
        if (!document) throw new Error(`no document beside ${file}`);
        return {
          name: document,
          document: new URL(document, folder),
          expected: JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as Record<string, unknown>,
        };
      });
  });
}

/** The fields compared, as the expected JSON writes them (task groups by number and title). */
function actualFields(draft: PlanDraft): Record<string, unknown> {
  return {
    documentType: draft.documentType,
    number: draft.number,
    date: draft.date,
    title: draft.title,
    issuer: draft.issuer,
    superior: draft.superior,
    references: draft.references,
    taskGroups: draft.taskGroups.map(({ number, title }) => ({ number, title })),
    recipients: draft.recipients,
    reportingFrequency: draft.reportingFrequency,
    reportingCycles: draft.reportingCycles,
    deadline: draft.deadline,
    reportedBy: draft.reportedBy,
    reportsTo: draft.reportsTo,
    missing: draft.missing,
  };
}

const ALL = fixtures();
const score = new Map<string, { right: number; total: number }>();

describe('the plan corpus', () => {
  it('holds at least 15 plan documents in .txt, .docx and .pdf', () => {
    const kinds = new Set(ALL.map((fixture) => fixture.name.slice(fixture.name.lastIndexOf('.'))));
    expect(ALL.length).toBeGreaterThanOrEqual(15);
    expect([...kinds].sort()).toEqual(['.docx', '.pdf', '.txt']);
  });

  it.each(ALL.map((fixture) => [fixture.name, fixture] as const))(
    'reads %s field by field',
    async (_name, fixture) => {
      // Prepare
      const bytes = new Uint8Array(readFileSync(fixture.document));
      // Act
      const text = await readPlanDocument(bytes, fixture.name, inProcessDocumentReader);
      const actual = actualFields(parsePlanDraft(text));
      // Assess
      for (const [field, value] of Object.entries(fixture.expected)) {
        const entry = score.get(field) ?? { right: 0, total: 0 };
        entry.total++;
        if (JSON.stringify(actual[field]) === JSON.stringify(value)) entry.right++;
        score.set(field, entry);
      }
      expect(actual).toEqual(fixture.expected);
    },
  );

  afterAll(() => {
    const rows = [...score].map(([field, { right, total }]) => `  ${field.padEnd(20)} ${right}/${total}`);
    console.log(`Plan corpus, fields read right per field (${ALL.length} documents):\n${rows.join('\n')}`);
  });
});

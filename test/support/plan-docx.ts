import { readFileSync } from 'node:fs';
import { Document, Packer, Paragraph, Tab, TextRun } from 'docx';

/** The real seed plan (30-KH/ĐUK), as the committee's office received it, in plain text. */
export const SEED_PLAN_TEXT = readFileSync(
  new URL('../fixtures/plans/ke-hoach-30-KH-DUK.txt', import.meta.url),
  'utf8',
);

/** A Word document with one paragraph per line of `text` (tabs kept as Word tabs), built in memory. */
export async function textToDocx(text: string): Promise<Uint8Array> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const paragraphs = lines.map(
    (line) =>
      new Paragraph({
        children: [
          new TextRun({
            children: line.split('\t').flatMap((part, i) => (i === 0 ? [part] : [new Tab(), part])),
          }),
        ],
      }),
  );
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: paragraphs }] })));
}

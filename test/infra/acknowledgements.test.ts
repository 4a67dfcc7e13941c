import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INFRA = join(ROOT, 'infra');

/** Words that say nothing about why a finding is acceptable. */
const EMPTY_REASONS =
  /^(ok|n\/a|na|todo|tbd|fixme|suppressed|acknowledged|not needed|needed|required|by design|false positive|test|ignore|wip)\.?$/i;

interface Acknowledgement {
  where: string;
  callee: string;
  /** The finding id, when it is written at the call site. */
  id?: string;
  /** The reason as written: a string literal's text, or undefined when it is not a literal. */
  reason?: string;
}

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? typescriptFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The text of a string literal, or of a template literal's fixed parts (`${…}` kept as is). */
function literalText(node: ts.Node | undefined, source: ts.SourceFile): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.getText(source).slice(1, -1);
  return undefined;
}

/**
 * Every acknowledgement in infra/: calls of `acknowledge(scope, id, reason)` and
 * `acknowledgeWildcardResource(scope, arn, reason)`, and any direct
 * `Validations.of(x).acknowledge({ id, reason })`.
 */
function acknowledgements(): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const file of typescriptFiles(INFRA)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression.getText(source);
        const where = `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (callee === 'acknowledge') {
          found.push({
            where,
            callee,
            id: literalText(node.arguments[1], source),
            reason: literalText(node.arguments[2], source),
          });
        } else if (callee === 'acknowledgeWildcardResource') {
          found.push({
            where,
            callee,
            id: 'AwsSolutions-IAM5[Resource::…]',
            reason: literalText(node.arguments[2], source),
          });
        } else if (callee.endsWith('.acknowledge')) {
          const [options] = node.arguments;
          const property = (name: string) =>
            options && ts.isObjectLiteralExpression(options)
              ? options.properties.find(
                  (p): p is ts.PropertyAssignment =>
                    ts.isPropertyAssignment(p) && p.name.getText(source) === name,
                )?.initializer
              : undefined;
          found.push({
            where,
            callee,
            id: literalText(property('id'), source),
            reason: literalText(property('reason'), source),
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('cdk-nag acknowledgements in infra/', () => {
  const all = acknowledgements();
  const atCallSites = all.filter((a) => !a.where.startsWith('infra/nag.ts'));

  it('are found (the scan itself works)', () => {
    expect(atCallSites.length).toBeGreaterThan(20);
  });

  it('go through infra/nag.ts: Validations.of(…).acknowledge is called there only', () => {
    const direct = all.filter((a) => a.callee.endsWith('.acknowledge')).map((a) => a.where.split(':')[0]);

    expect([...new Set(direct)]).toEqual(['infra/nag.ts']);
  });

  it('each give their reason as text at the call site, long enough to say why', () => {
    for (const a of atCallSites) {
      expect({ where: a.where, reason: typeof a.reason }).toEqual({ where: a.where, reason: 'string' });
      const reason = a.reason!.trim();
      expect({ where: a.where, empty: EMPTY_REASONS.test(reason) }).toEqual({ where: a.where, empty: false });
      expect({ where: a.where, words: reason.split(/\s+/).length >= 12 }).toEqual({
        where: a.where,
        words: true,
      });
    }
  });

  it('each name an exact finding: a rule of the two packs, IAM5 always with its action or resource', () => {
    for (const a of atCallSites) {
      expect({ where: a.where, id: a.id }).toEqual({
        where: a.where,
        id: expect.stringMatching(/^(AwsSolutions-[A-Z]+[0-9]*|Serverless-[A-Za-z]+)(\[.+\])?$/),
      });
      if (a.id!.startsWith('AwsSolutions-IAM5')) {
        expect({ where: a.where, id: a.id }).toEqual({
          where: a.where,
          id: expect.stringMatching(/^AwsSolutions-IAM5\[(Action|Resource)::.+\]$/),
        });
      }
    }
  });

  it('are never placed on an app or a stack', () => {
    for (const file of typescriptFiles(INFRA)) {
      const text = readFileSync(file, 'utf8');
      expect({
        file,
        onApp: /acknowledge\(\s*(app|this\.app|stack|Stack\.of\([^)]*\))\s*,/.test(text),
      }).toEqual({
        file,
        onApp: false,
      });
    }
  });
});

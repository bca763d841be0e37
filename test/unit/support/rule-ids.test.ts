/**
 * Every policy rule id the code refuses or records with (`s<section>.<name>`, e.g. `s6.no-self-approval`,
 * as a string literal anywhere in functions/) is asserted by at least one test: it appears as a string
 * literal of its own (an expected value, not a mention in a test's name or a comment) in a test file.
 * A new rule without a test fails here, naming it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = process.cwd();
const RULE_ID = /^s\d+\.[a-z0-9]+(?:-[a-z0-9]+)*$/;

const files = (room: string, name: RegExp): string[] =>
  readdirSync(join(ROOT, room), { recursive: true, encoding: 'utf8' })
    .filter((f) => name.test(f))
    .map((f) => join(ROOT, room, f));

/** The string literals of a file that are rule ids, with the line of each (comments are not literals). */
const ruleIdsIn = (file: string, text = readFileSync(file, 'utf8')): Map<string, number> => {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const found = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && RULE_ID.test(node.text)) {
      if (!found.has(node.text))
        found.set(node.text, source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};

/** rule id → where the code first names it. */
const codeRuleIds = (): Map<string, string> => {
  const ids = new Map<string, string>();
  for (const file of files('functions', /\.ts$/))
    for (const [id, line] of ruleIdsIn(file))
      if (!ids.has(id)) ids.set(id, `${relative(ROOT, file)}:${line}`);
  return ids;
};

/** The rule ids test files assert; this file names some of them only to test the check itself. */
const testedRuleIds = (): Set<string> =>
  new Set(
    files('test', /\.test\.ts$/)
      .filter((file) => !file.endsWith('rule-ids.test.ts'))
      .flatMap((file) => [...ruleIdsIn(file).keys()]),
  );

describe('policy rule ids', () => {
  it('are each asserted by at least one test', () => {
    // Arrange
    const tested = testedRuleIds();
    // Act
    const untested = [...codeRuleIds()].filter(([id]) => !tested.has(id)).map(([id, at]) => `${id} (${at})`);
    // Assert
    expect(untested).toEqual([]);
  });

  it('finds the rule ids of the code, and only literals that are rule ids (the check itself works)', () => {
    // Arrange
    const code = codeRuleIds();
    const sample = [
      '// s6.in-a-comment is not a literal',
      "const a = 's6.no-self-approval';",
      'const b = `s7.deleted-after-24-months`;',
      "const c = 's3.a reason for recording';",
      "it('refuses (s6.in-a-title)', () => {});",
    ].join('\n');
    // Act
    const inSample = [...ruleIdsIn('sample.ts', sample).keys()];
    // Assert
    expect(code.size).toBeGreaterThanOrEqual(40);
    expect(code.get('s6.officers-only')).toMatch(/^functions\/release\/use-cases-lifecycle\.ts:\d+$/);
    expect(code.has('s7.holds-by-information-governance')).toBe(true);
    expect(inSample).toEqual(['s6.no-self-approval', 's7.deleted-after-24-months']);
  });
});

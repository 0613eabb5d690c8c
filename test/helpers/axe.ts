import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The rules checked: every WCAG 2.0 and 2.1 rule of levels A and AA. */
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core in the page (WCAG 2.1 A and AA rules) and returns what it
 * found, one line per violation and the elements concerned.
 */
export async function axeViolations(page: Page, context = 'main'): Promise<string[]> {
  // Evaluated through the DevTools protocol: a script tag would be (rightly) refused by the app's CSP (script-src 'self').
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async ({ selector, tags }) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document.querySelector(selector) ?? document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  }, { selector: context, tags: axeTags });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Fails with every WCAG 2.1 A/AA violation axe-core finds in the page. */
export async function expectNoAxeViolations(page: Page, context = 'main'): Promise<void> {
  expect(await axeViolations(page, context)).toEqual([]);
}

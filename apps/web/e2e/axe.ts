import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; impact: string | null; help: string; nodes: unknown[] };

/**
 * Serious and critical axe-core findings on the page as it is now. The script is added
 * through the DevTools protocol, so the page's CSP (script-src 'self') is not loosened.
 */
export const seriousAxeViolations = async (page: Page) => {
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run();
    return result.violations.map(({ id, impact, help, nodes }) => ({
      html: (nodes as { html: string }[]).slice(0, 2).map((node) => node.html),
      id,
      impact,
      help,
      nodes: nodes.length,
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) console.log(JSON.stringify(serious, null, 2));
  return serious;
};

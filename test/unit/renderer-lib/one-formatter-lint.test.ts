import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/* The lint gate keeps one formatter: .toFixed() and friends are refused in renderer/src outside lib/format.ts. */

const lint = async (filePath: string, code: string) => {
  // Only this rule, without type information (the type-aware rules would cost ~30 s to set up here).
  const eslint = new ESLint({
    cwd: process.cwd(),
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-syntax',
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  })
  const [result] = await eslint.lintText(code, { filePath })
  return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message)
}

describe('the one-formatter lint rule', () => {
  it('refuses ad-hoc number and date formatting in the renderer', async () => {
    const messages = await lint(
      'renderer/src/lib/measured.ts',
      `export const a = (n: number) => n.toFixed(2)\nexport const b = (n: number) => n.toLocaleString('en-US')\nexport const c = new Intl.NumberFormat('en-US')\n`,
    )
    expect(messages).toHaveLength(3)
    expect(messages[0]).toMatch(/renderer\/src\/lib\/format\.ts/)
  })

  it('lets format.ts itself do it, and code outside the renderer', async () => {
    expect(await lint('renderer/src/lib/format.ts', 'export const a = (n: number) => n.toFixed(2)\n')).toEqual([])
    expect(await lint('electron/main/services/batch/progress.ts', 'export const a = (n: number) => n.toFixed(2)\n')).toEqual([])
  })
})

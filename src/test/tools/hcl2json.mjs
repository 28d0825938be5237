// Parses Terraform files offline with @cdktf/hcl2json and prints {"<path>": <parsed HCL as JSON>, ...}.
// Usage: node src/test/tools/hcl2json.mjs <file.tf>...   Exit status 1 when a file does not parse.
import { readFile } from "node:fs/promises";
import { parse } from "@cdktf/hcl2json";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node hcl2json.mjs <file.tf>...");
  process.exit(2);
}

const parsed = {};
let failures = 0;
for (const file of files) {
  try {
    parsed[file] = await parse(file, await readFile(file, "utf8"));
  } catch (e) {
    console.error(`${file}: ${e.message ?? e}`);
    failures++;
  }
}
process.stdout.write(JSON.stringify(parsed));
// exitCode, not exit(): exit() ends the process before a pipe has taken more than its buffer (64 KiB) of the output.
process.exitCode = failures === 0 ? 0 : 1;

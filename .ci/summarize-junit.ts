// Prints "N passed, N failed[, N skipped]" from a JUnit XML report written by `bun test`.
const xml = await Bun.file(process.argv[2] ?? '').text();
const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
let failed = 0;
let skipped = 0;
for (const testCase of cases) {
  if (/<(failure|error)\b/.test(testCase)) failed++;
  else if (/<skipped\b/.test(testCase)) skipped++;
}
const passed = cases.length - failed - skipped;
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);

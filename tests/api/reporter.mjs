// A flat TAP-like reporter: "ok - NAME" / "not ok - NAME" per top-level test, the form the
// project's test runner counts, with the failure's message indented under it.
export default async function* reporter(source) {
  for await (const ev of source) {
    if (ev.data?.nesting !== 0) continue;
    if (ev.type === 'test:pass') yield `ok - ${ev.data.name}\n`;
    else if (ev.type === 'test:fail') {
      const e = ev.data.details?.error;
      const msg = String(e?.cause?.stack ?? e?.cause ?? e?.message ?? e).split('\n').slice(0, 12).join('\n    ');
      yield `not ok - ${ev.data.name}\n    ${msg}\n`;
    }
  }
}

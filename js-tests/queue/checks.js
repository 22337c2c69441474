// The checks of a queue engine's contract run inside one runtime (deno-queue-checks.mjs in Deno,
// workerd-queue.entry.mjs in workerd): each check is [name, ok, detail], printed or answered as
// JSON for js-tests/queue/run-engines.mjs. A check passes when its function returns true or
// nothing; anything else is its detail, and a throw fails it with the stack.

/** { out, check(name, fn) }: `out` collects one [name, ok, detail] per check. */
export function checkList() {
  const out = [];
  const check = async (name, fn) => {
    try {
      const detail = await fn();
      out.push([name, detail === undefined || detail === true, detail === true ? '' : String(detail ?? '')]);
    } catch (e) {
      out.push([name, false, String(e?.stack ?? e)]);
    }
  };
  return { out, check };
}

/** `code:field` of the error `fn` throws or rejects with ('no error' when it does neither). */
export async function codeOf(fn) {
  try {
    await fn();
    return 'no error';
  } catch (e) {
    return `${e?.code}:${e?.field ?? ''}`;
  }
}

// A tiny assertion collector shared by the suites: every check is counted, failures are
// collected with their messages, and nothing stops at the first failure.
export function makeChecker(log = () => {}) {
  let passed = 0;
  const failures = [];
  const fail = (name, error) => {
    failures.push(`${name}: ${error && error.message ? error.message : error}`);
    log(`FAIL ${name}: ${error && error.message ? error.message : error}`);
  };
  const api = {
    assertEq(actual, expected) {
      if (actual !== expected) {
        throw new Error(`expected ${JSON.stringify(expected)?.slice(0, 200)}, got ${JSON.stringify(actual)?.slice(0, 200)}`);
      }
    },
    assertTrue(value, what) {
      if (!value) throw new Error(`expected ${what}`);
    },
    check(name, fn) {
      try {
        fn();
        passed++;
      } catch (error) {
        fail(name, error);
      }
    },
    async checkAsync(name, fn) {
      try {
        await fn();
        passed++;
      } catch (error) {
        fail(name, error);
      }
    },
    eq(name, actualOrFn, expected) {
      api.check(name, () => api.assertEq(typeof actualOrFn === 'function' ? actualOrFn() : actualOrFn, expected));
    },
    result() {
      return { passed, failed: failures.length, failures };
    },
  };
  return api;
}

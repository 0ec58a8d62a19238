// Test set-up (vitest setupFiles): keep tfjs's "Hi, looks like you are running TensorFlow.js in Node.js"
// banner (printed through console.warn on the cpu backend's first write) out of the test output. A narrow
// filter on that one message, so no test file pays for importing tfjs just to silence it; the CLI and
// initBackend use quietTfjsBanner from @noether/autodiff instead.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (
    typeof args[0] === 'string' &&
    args[0].includes('Hi, looks like you are running TensorFlow.js in Node.js')
  )
    return;
  warn(...args);
};

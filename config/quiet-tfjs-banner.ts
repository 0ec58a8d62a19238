// Test set-up (vitest setupFiles): keep tfjs's "Hi, looks like you are running TensorFlow.js in Node.js"
// banner out of the test output (see quietTfjsBanner).
import { quietTfjsBanner } from '@noether/autodiff';

quietTfjsBanner();

import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { fullCoef } from './linear-util';

/** y = broadcastTo(x, shape): coefficients broadcast to `[width, ...shape]`. */
export const broadcastToTaylor = defineTaylorRule({
  kernelName: 'BroadcastTo',
  propagate: ({ inputs, outputs, layout }) =>
    composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c], k) =>
      fullCoef({ layout, k }, c, outputs[0].shape),
    ),
});

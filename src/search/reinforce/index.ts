import { defineStrategy } from '../strategy.js';
import { Reinforce } from './reinforce.js';

export { Controller, parameterShapes, type ControllerShape } from './controller.js';
export { Reinforce, type ReinforceOptions } from './reinforce.js';

const options = {
  batchSize: { type: 'integer', description: 'M: architectures per controller update', min: 1, default: 3 },
  hidden: { type: 'integer', description: 'LSTM width (and embedding size) of the controller', min: 1, default: 32 },
  learningRate: { type: 'number', description: 'Adam learning rate of the controller', min: 0, default: 0.03 },
  baselineDecay: {
    type: 'number',
    description: 'decay of the exponential moving average reward baseline',
    min: 0,
    max: 1,
    default: 0.9,
  },
  entropyWeight: {
    type: 'number',
    description: 'weight of the entropy bonus in the loss (in units of the advantage)',
    min: 0,
    default: 0.0001,
  },
  temperature: {
    type: 'number',
    description: 'logits are divided by this before clipping (ENAS: 5)',
    min: 0.001,
    default: 5,
  },
  tanhConstant: {
    type: 'number',
    description: 'C of the tanh logit clipping C·tanh(logits); 0 disables it (ENAS: 2.5)',
    min: 0,
    default: 2.5,
  },
  normalize: {
    type: 'boolean',
    description: "divide advantages by a moving root mean square (makes the step independent of the reward's units)",
    default: true,
  },
  dedupe: {
    type: 'boolean',
    description: 'never run an architecture twice: a known one joins the batch with its known reward',
    default: true,
  },
} as const;

/** Registry entry of REINFORCE with the controller RNN. */
export const reinforce = defineStrategy({
  name: 'reinforce',
  description:
    'REINFORCE with an LSTM controller (Zoph & Le 2017; ENAS): EMA baseline, entropy bonus, batches of M (native TensorFlow)',
  options,
  create: (context, o) => new Reinforce(context, o),
});

// The tests measure segments against planted groups with the same index the product uses for stability.
export { adjustedRandIndex } from '../../../../src/analytics/adjusted-rand.js';

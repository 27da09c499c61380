// Next-token choice, the same rules as the Java engine's Sampler (lib/engine): temperature 0 is greedy with exact ties
// going to the lowest id; otherwise temperature, then top-k, then top-p, drawn from Java's SplittableRandom sequence
// for the same seed, so a page run and a serve.java run with equal logits pick equal tokens.

const MASK = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/** java.util.SplittableRandom(seed): SplitMix64, nextDouble() = (nextLong() >>> 11) · 2⁻⁵³. */
export class SplitMix64 {
  constructor(seed) {
    this.seed = BigInt.asUintN(64, BigInt(seed));
  }

  nextLong() {
    this.seed = (this.seed + GOLDEN_GAMMA) & MASK;
    let z = this.seed;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  }

  nextDouble() {
    return Number(this.nextLong() >> 11n) * 2 ** -53;
  }
}

/** Index of the largest value; the first one (lowest id) on an exact tie. */
export function argmax(logits) {
  let best = 0;
  let max = logits[0];
  for (let i = 1; i < logits.length; i++) {
    const v = logits[i];
    if (v > max) { max = v; best = i; }
  }
  return best;
}

// Tokens below max − CUTOFF (in temperature-scaled logits) have probability < e^-30 of the best one (as in Java).
const CUTOFF = 30;

/**
 * @param temperature 0 or null: greedy
 * @param seed a number or BigInt; null: a random seed
 * @returns {{sample(logits: Float32Array): number, greedy: boolean, describe: string}}
 */
export function sampler({ temperature, topK, topP, seed }) {
  if (!temperature) return { sample: argmax, greedy: true, describe: 'greedy' };
  const k = topK > 0 ? topK : 0;
  const p = topP > 0 && topP < 1 ? topP : 1;
  const s = seed ?? BigInt(Math.floor(Math.random() * 2 ** 53));
  const rng = new SplitMix64(s);
  const sample = logits => {
    let max = -Infinity;
    for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
    const order = [];
    // Math.fround: Java subtracts the two floats in float precision before dividing in double
    for (let i = 0; i < logits.length; i++) if (Math.fround(logits[i] - max) / temperature > -CUTOFF) order.push(i);
    order.sort((a, b) => (logits[a] !== logits[b] ? logits[b] - logits[a] : a - b));
    let n = k > 0 ? Math.min(order.length, k) : order.length;
    const probs = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) { probs[i] = Math.exp(Math.fround(logits[order[i]] - max) / temperature); sum += probs[i]; }
    if (p < 1) {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        acc += probs[i] / sum;
        if (acc >= p) { n = i + 1; break; }
      }
      sum = 0;
      for (let i = 0; i < n; i++) sum += probs[i];
    }
    let r = rng.nextDouble() * sum;
    for (let i = 0; i < n; i++) {
      r -= probs[i];
      if (r <= 0) return order[i];
    }
    return order[n - 1];
  };
  return { sample, greedy: false, describe: `temperature ${temperature}${k ? `, top-k ${k}` : ''}${p < 1 ? `, top-p ${p}` : ''}, seed ${s}` };
}

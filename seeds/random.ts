/**
 * Seeded randomness for the simulator: a thin wrapper over pure-rand's xoroshiro128+ with the
 * draws the simulation needs (uniform, integer, weighted pick, exponential delay). The same
 * seed gives the same sequence on every run and platform; nothing here reads a clock or
 * Math.random. Streams made with `split()` are independent of each other, so adding a draw to
 * one stream never shifts the numbers of another.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** A weighted choice: `[value, weight]`, weights need not sum to 1. */
export type Weighted<T> = readonly (readonly [T, number])[];

export class Random {
  private constructor(private readonly generator: JumpableRandomGenerator) {}

  static fromSeed(seed: number): Random {
    return new Random(xoroshiro128plus(scrambleSeed(seed)));
  }

  /**
   * A new stream that takes over this one's next 2^64 numbers while this one jumps past them,
   * so successive splits never overlap.
   */
  split(): Random {
    const stream = new Random(this.generator.clone());
    this.generator.jump();
    return stream;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.generator, min, max);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(values: readonly T[]): T {
    if (values.length === 0) throw new Error('pick from an empty list');
    return values[this.int(0, values.length - 1)] as T;
  }

  weighted<T>(choices: Weighted<T>): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let remaining = this.float() * total;
    for (const [value, weight] of choices) {
      remaining -= weight;
      if (remaining < 0) return value;
    }
    const last = choices[choices.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  /** Exponential with the given mean: the waiting time of a memoryless process. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }
}

/**
 * xoroshiro128+ seeds its state almost verbatim, so neighbouring seeds (42, 43) would start
 * with correlated outputs; a 32-bit avalanche hash (murmur3's finaliser) spreads them apart.
 */
function scrambleSeed(seed: number): number {
  let h = Math.trunc(seed) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

// The produce matrix of the core scenario: every compression codec with every acks setting. One topic of
// 15 partitions per client; partition p carries codec CODECS[floor(p / 3)] with acks ACKS[p % 3], so one
// 100,000-record run covers all 15 combinations (about 6,700 records each) instead of 15 runs.
export const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type Codec = (typeof CODECS)[number];
export const ACKS = [0, 1, -1] as const;
export type Acks = (typeof ACKS)[number];

export interface Combo {
  partition: number;
  codec: Codec;
  acks: Acks;
}

export const COMBOS: Combo[] = CODECS.flatMap((codec, c) =>
  ACKS.map((acks, a) => ({ partition: c * 3 + a, codec, acks })),
);

export const CORE_PARTITIONS = COMBOS.length;
export const CORE_RECORDS = Number(process.env['SAMSA_COMPAT_RECORDS'] ?? 100_000);

export function comboName(c: Combo): string {
  return `${c.codec}/acks=${c.acks === -1 ? 'all' : c.acks}`;
}

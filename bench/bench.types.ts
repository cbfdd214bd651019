/** One line of a bench's result table; columns are the union of the rows' keys, in order. */
export type BenchRow = Record<string, string | number>;

export type Bench = {
  name: string;
  run: () => Promise<BenchRow[]>;
};

/** Progress of long work, for bars in the CLI and logs in jobs: (phase, done, total). */
export type Progress = (phase: string, done: number, total: number) => void;
export const noProgress: Progress = () => {};

export declare const BUILD_DIR: string;
export declare const STAMP_FILE: string;
export declare const SOURCE_DIRS: string[];
/** True when `root`/build holds a build of the current sources. */
export declare function buildIsCurrent(root: string): boolean;

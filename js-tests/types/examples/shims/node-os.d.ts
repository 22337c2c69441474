export declare function availableParallelism(): number;

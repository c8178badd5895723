// Limits: per-client flood control (token bucket with fakelag queue) and connections per IP and in all.
export { systemClock, type Clock } from './clock.ts';
export { TokenBucket, type TokenBucketOptions } from './tokenBucket.ts';
export { FloodLimiter, type FloodDecision, type FloodLimiterOptions } from './floodLimiter.ts';
export { ConnectionCounter, ipKey, ipv6Groups, normalizeIp, type Refusal } from './connectionCounter.ts';
export { LoginBackoff, type BackoffPolicy } from './loginBackoff.ts';
export { FairQueue, type FairQueueOptions } from './fairQueue.ts';
export { WindowCounter } from './windowCounter.ts';
export { RefusalLog } from './refusalLog.ts';

/**
 * The main-process half of the one policy core (the browser-safe half is
 * shared/policy/enforcement.ts): what the app's own requests and the
 * gateway both need and only main can do — audit records, and the run that
 * fails closed when no policy can be used.
 */
export { appendRequestAudit, auditFinding, type RequestAudit, requestCompletedEntry, requestStartedEntry, type StartedAudit } from './audit-record'
export { failClosedRun, policyCheckFailed, type Unavailable } from './fail-closed'

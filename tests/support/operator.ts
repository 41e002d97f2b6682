import { type TestTwin, api } from './twin';

type Twin = Pick<TestTwin, 'url' | 'operatorKey'>;
export type ResourceKind = 'sms-origination-identity' | 'sms-configuration-set' | 'sms-opt-out-list' | 'connect-account' | 'connect-instance' | 'mail-identity';

/** The operator allocates a resource to the tenant (POST /v1/operator/tenants/{id}/allocations); fails the test unless 200. */
export async function allocate(twin: Twin, tenantId: string, kind: ResourceKind, id: string) {
  const answer = await api(twin.url, 'POST', `/v1/operator/tenants/${tenantId}/allocations`, { key: twin.operatorKey, body: { resource: { kind, id } } });
  if (answer.status !== 200) throw new Error(`allocating ${kind} ${id} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** What a tenant needs before its settings may name an SMS sender: the operator allocates the identity. */
export const allocateSmsSender = (twin: Twin, tenantId: string, identity: string) => allocate(twin, tenantId, 'sms-origination-identity', identity);

/** The operator registers an Amazon Connect instance (and first its AWS account) to the tenant. */
export async function registerConnectInstance(twin: Twin, tenantId: string, instanceArn: string) {
  const account = /:connect:[^:]+:(\d{12}):/.exec(instanceArn)![1]!;
  await allocate(twin, tenantId, 'connect-account', account);
  return allocate(twin, tenantId, 'connect-instance', instanceArn);
}

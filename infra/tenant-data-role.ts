import { Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, type IRole, PolicyStatement, Role, SessionTagsPrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { tableReadActions, tableWriteActions } from './lambda-function';

/** The session tag that names the tenant a session may touch. */
export const tenantSessionTag = 'tenantId';

/**
 * The partition keys a tenant-scoped session may name: exactly `T#<tenant>` or `T#<tenant>#…`
 * (shared/data/keys.ts). Two patterns rather than `T#<tenant>*`, so that no tenant id can be a
 * prefix match for another.
 */
export const tenantLeadingKeys = [`T#\${aws:PrincipalTag/${tenantSessionTag}}`, `T#\${aws:PrincipalTag/${tenantSessionTag}}#*`];

export interface TenantDataRoleProps {
  table: ITable;
  /** The `<table ARN>/index/*` resource as cdk-nag names it (tableIndexesResource). */
  tableIndexes: string;
  /** The roles of the functions that may take a tenant-scoped session (the tenant API functions). */
  assumedBy: IRole[];
}

/**
 * A role whose sessions can read and write only the items of one tenant: a function assumes it
 * with the session tag `tenantId=<the verified caller's tenant>`, and every key it names must then
 * start with that tenant's prefix (dynamodb:LeadingKeys). A bug that builds another tenant's key
 * is refused by IAM, not only by our code. Design, cost and where it does not fit: docs/security.md.
 */
export class TenantDataRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: TenantDataRoleProps) {
    super(scope, id);
    // The account as principal and the callers named by a condition: a trust policy naming the
    // roles themselves would break whenever one of them is replaced.
    this.role = new Role(this, 'Role', {
      description: 'Switchboard tenant-scoped data access: items of the tenant in the tenantId session tag only',
      assumedBy: new SessionTagsPrincipal(new AccountRootPrincipal()).withConditions({
        ArnEquals: { 'aws:PrincipalArn': props.assumedBy.map((role) => role.roleArn) },
        StringLike: { [`aws:RequestTag/${tenantSessionTag}`]: 'ten_*' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [tenantSessionTag] },
      }),
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: [...tableReadActions, ...tableWriteActions],
        resources: [props.table.tableArn, `${props.table.tableArn}/index/*`],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': tenantLeadingKeys } },
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${props.tableIndexes}]`,
      reason: "The table's own secondary indexes (table ARN + /index/*), every request confined to one tenant's keys by dynamodb:LeadingKeys.",
    });
  }
}

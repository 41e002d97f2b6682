import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, db, tableName } from './client';

/**
 * Sets and removes top-level attributes of one item in place, if `condition` holds: an UpdateItem,
 * so the item's keys and every attribute not named stay exactly as they are. With
 * `expectedVersion`, the item must still be at that version and moves to the next one, so a
 * writer that read it before fails its own version condition instead of writing back what was
 * removed. True when written, false when the condition did not hold.
 */
export async function updateInPlace(
  key: Record<string, string>,
  changes: { set: Record<string, unknown>; remove: string[] },
  { expectedVersion, condition = 'attribute_exists(pk)', conditionValues = {} }: {
    expectedVersion?: number;
    condition?: string;
    conditionValues?: Record<string, unknown>;
  } = {},
): Promise<boolean> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ...conditionValues };
  const assignments: string[] = [];
  const set = { ...changes.set };
  delete set.version;
  Object.entries(set).forEach(([field, value], index) => {
    names[`#s${index}`] = field;
    values[`:s${index}`] = value;
    assignments.push(`#s${index} = :s${index}`);
  });
  let conditionExpression = condition;
  if (expectedVersion !== undefined) {
    names['#version'] = 'version';
    values[':expectedVersion'] = expectedVersion;
    values[':nextVersion'] = expectedVersion + 1;
    assignments.push('#version = :nextVersion');
    conditionExpression = `(${condition}) AND #version = :expectedVersion`;
  }
  const removals = changes.remove.map((field, index) => {
    names[`#r${index}`] = field;
    return `#r${index}`;
  });
  const updateExpression = [
    assignments.length > 0 ? `SET ${assignments.join(', ')}` : '',
    removals.length > 0 ? `REMOVE ${removals.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return conditionally(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: updateExpression,
        ConditionExpression: conditionExpression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    ),
  );
}

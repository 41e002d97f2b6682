import { randomUUID } from 'node:crypto';

/**
 * A voice contact's Amazon Connect Contact Event as the tenant's account puts it on the bus
 * (AWS's own PutEvents entry, PascalCase detail): INITIATED, then CONNECTED_TO_AGENT with the
 * queue and the agent (by their Connect user id, the person's agent id).
 */
export function connectContactEvent(options: { instanceArn: string; eventType: 'INITIATED' | 'CONNECTED_TO_AGENT'; contactId: string; phone: string; agentId: string }) {
  const { instanceArn, eventType, contactId, phone, agentId } = options;
  const at = new Date().toISOString();
  return {
    EventBusName: process.env.EVENT_BUS_NAME,
    Source: 'aws.connect',
    DetailType: 'Amazon Connect Contact Event',
    Resources: [`${instanceArn}/contact/${contactId}`, instanceArn],
    Detail: JSON.stringify({
      EventType: eventType,
      ContactId: contactId,
      InitialContactId: contactId,
      Channel: 'VOICE',
      InstanceArn: instanceArn,
      InitiationMethod: 'INBOUND',
      InitiationTimestamp: at,
      CustomerEndpoint: { Type: 'TELEPHONE_NUMBER', Address: phone },
      ...(eventType === 'CONNECTED_TO_AGENT' && {
        QueueInfo: { QueueArn: `${instanceArn}/queue/${randomUUID()}`, QueueType: 'STANDARD', EnqueueTimestamp: at },
        AgentInfo: { AgentArn: `${instanceArn}/agent/${agentId}`, ConnectedToAgentTimestamp: at },
      }),
    }),
  };
}

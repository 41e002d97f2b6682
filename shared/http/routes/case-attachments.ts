import { AttachmentDownload, CaseAttachmentParams } from '../../schemas/case';
import { defineRoutes, readonlyAccess } from '../route-types';

/** How long a download link of an attachment works. */
export const attachmentLinkSeconds = 300;

/** The attachments customers' e-mail brought to cases (docs/guides/agents-desk.md, "E-mail from customers"). */
export const caseAttachmentRoutes = defineRoutes([
  {
    operationId: 'downloadCaseAttachment',
    method: 'GET',
    path: '/v1/cases/{caseId}/attachments/{attachmentId}',
    function: 'case-attachments',
    access: readonlyAccess,
    tag: 'Cases',
    summary: 'A download link of an attachment of a customer’s e-mail on a case, working for five minutes',
    request: { params: CaseAttachmentParams },
    description:
      "Answers a link to the file's bytes that works for five minutes without a credential (S3 presigned; on the local twin, its S3 emulation), " +
      'answering the file as an attachment with its name and media type: open it in the browser to save the file. ' +
      'The attachment ids are those on the case timeline entry of the reply (`attachments[].attachmentId`); an attachment of another case, or of another tenant\'s case, is 404. ' +
      'A link rather than a redirect: the API takes a bearer credential, which a browser cannot send when it follows a link, so the console asks for the link and then opens it',
    examples: {
      request: { params: { caseId: 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2', attachmentId: 'att_3K7V0ZC9RB2M4T6X8A1D5F7H9J' } },
      responses: {
        200: {
          url: 'https://switchboard-prod-mail-123456789012.s3.ap-northeast-1.amazonaws.com/tenants/ten_01JF8Z0A1B2C3D4E5F6G7H8J9K/attachments/att_3K7V0ZC9RB2M4T6X8A1D5F7H9J?X-Amz-Expires=300',
          expiresAt: '2026-03-09T01:15:00.000Z',
          name: 'receipt.pdf',
          type: 'application/pdf',
          size: 48213,
        },
      },
    },
    responses: { 200: { description: 'The link, and what it downloads', schema: AttachmentDownload } },
  },
]);

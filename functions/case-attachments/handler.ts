import { getCaseAttachment } from '../../shared/data/inbound-mail-repo';
import { createApiHandler } from '../../shared/http/handler';
import { notFound } from '../../shared/http/problem';
import { attachmentLinkSeconds, caseAttachmentRoutes } from '../../shared/http/routes/case-attachments';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { looksLikeId } from '../../shared/ids';
import { presignedGetUrl } from '../../shared/ports/object-store';

export const handler = createApiHandler('case-attachments', caseAttachmentRoutes, {
  async downloadCaseAttachment(request) {
    const { tenantId, params } = request;
    const { caseId, attachmentId } = params;
    const attachment = looksLikeId('cas', caseId) && looksLikeId('att', attachmentId) ? await getCaseAttachment(tenantId, caseId, attachmentId) : undefined;
    if (!attachment) throw notFound('No such attachment on this case');
    const bucket = process.env.MAIL_BUCKET;
    if (!bucket) throw new Error('MAIL_BUCKET is not set');
    const url = await presignedGetUrl(bucket, attachment.objectKey, { expiresSeconds: attachmentLinkSeconds, fileName: attachment.name, contentType: attachment.type });
    const expiresAt = new Date(Date.now() + attachmentLinkSeconds * 1000).toISOString();
    return { status: 200, body: { url, expiresAt, name: attachment.name, type: attachment.type, size: attachment.size }, headers: { 'Cache-Control': 'no-store' } };
  },
}, { requestLimit: tenantRequestLimit });

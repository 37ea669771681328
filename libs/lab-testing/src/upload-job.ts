/** The BullMQ job of an upload (queue QUEUES.labUploads, jobId = the upload id). */
export interface LabUploadJob {
  uploadId: string;
}

/** Added by the api on receipt and by the worker's start-up sweep; the same jobId dedups them. */
export function labUploadJobOptions(uploadId: string) {
  return { jobId: uploadId, attempts: 5, backoff: { type: 'exponential', delay: 2000 } };
}

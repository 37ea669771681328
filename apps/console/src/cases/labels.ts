import { useI18n } from '../i18n/i18n';

/** A case's short code for people: the first 8 characters of its id (what the feed shows too). */
export function caseCode(id: string): string {
  return id.slice(0, 8).toUpperCase();
}

/** Labels of codes the API sends (classification, status, setting, task fields); unknown codes as is. */
export function useCaseLabels() {
  const { tMaybe } = useI18n();
  const of = (prefix: string) => (code: string | null | undefined) =>
    code ? (tMaybe(`${prefix}.${code}`) ?? code) : '—';
  return {
    classification: of('cases.class'),
    status: of('cases.status'),
    setting: of('setting'),
    method: of('method'),
    result: of('result'),
    taskType: of('cases.task.type'),
    taskState: of('cases.task.state'),
    priority: of('cases.task.priority'),
  };
}

/** The session shell's strings (the urgent-report banner shown on every screen but the map's). */
export const shellMessagesVi = {
  'shell.urgent': '{count} tin báo khẩn chưa tiếp nhận',
  'shell.urgentOpen': 'Mở bảng điều hành',
  'shell.urgentLabel': 'Tin báo khẩn đang chờ tiếp nhận',
};

export const shellMessagesEn: Record<keyof typeof shellMessagesVi, string> = {
  'shell.urgent': '{count} urgent reports not acknowledged',
  'shell.urgentOpen': 'Open the operations board',
  'shell.urgentLabel': 'Urgent reports waiting for acknowledgement',
};

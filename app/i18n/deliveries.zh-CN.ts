/** Delivery problems page (zh-CN). */
export const deliveriesZhCN = {
  deliveries: {
    nav: "投递异常",
    title: "邮件与提醒投递异常",
    intro: "多次重试后仍未发出的邮件，以及反复失败的提醒。排除原因（如邮件服务器故障、地址错误）后可重新发送邮件。",
    emails: "发送失败的邮件（{{count}}）",
    noEmails: "没有发送失败的邮件。",
    reminders: "反复失败的提醒（{{count}}）",
    noReminders: "没有反复失败的提醒。",
    createdAt: "创建时间",
    to: "收件人",
    template: "类型",
    attempts: "尝试次数",
    error: "最后一次错误",
    action: "操作",
    retry: "重新发送",
    retried: "已重新加入发送队列。",
    notFailed: "该邮件已不处于失败状态（可能已被他人重新发送）。",
    fireAt: "计划提醒时间",
    kind: "提醒类型",
  },
} as const;

/** Working-day clocks (电子监察): stage names, colours, clock cells (zh-CN). */
export const clockZhCN = {
  clock: {
    stage: {
      acceptance: "受理审查",
      handover: "转技术审评",
      review: "技术审评",
      approval: "行政审批",
      issuance: "制证发证",
    },
    colour: {
      green: "正常",
      yellow: "预警",
      red: "超时",
    },
    /** The cell in queues and on the overview: "技术审评 已用 12/60 工作日，剩余 48". */
    elapsedOfLimit: "已用 {{elapsed}}/{{limit}} 个工作日",
    remaining: "剩余 {{count}} 个工作日",
    overBy: "超出 {{count}} 个工作日",
    dueOn: "期限 {{date}}",
    paused: "已暂停计时",
    provisional: "暂定",
    none: "不计时",
  },
};

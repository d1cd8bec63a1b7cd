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
  clockPolicy: {
    nav: "办理时限",
    title: "办理时限（电子监察）",
    intro: "各阶段的法定时限（《医疗器械注册与备案管理办法》第九十九条，单位为工作日）和可选的绿色通道目标时限。每次修改生成新版本并记录理由；计时中的申请会按新时限重新计算。",
    current: "当前版本（{{time}}）",
    legal: "{{stage}}：法定时限（工作日）",
    target: "{{stage}}：绿色通道目标（工作日，可空）",
    reviewAfterSupplement: "补充资料后技术审评",
    basis: "按哪个时限着色",
    basisLegal: "法定时限",
    basisTarget: "绿色通道目标（未设目标的阶段按法定时限）",
    yellowPercent: "预警比例（已用时限的百分比）",
    reason: "修改理由",
    save: "保存为新版本",
    saved: "办理时限已保存，计时中的申请将在一分钟内按新时限重新计算。",
    history: "历史版本",
    historyCaption: "办理时限的历史版本",
    at: "时间",
    summary: "时限",
    by: "修改人",
    errors: {
      targetAboveLimit: "目标时限不能长于法定时限",
    },
  },
};

/** Deferral policy page (zh-CN). */
export const policyZhCN = {
  policy: {
    nav: "容缺政策",
    title: "容缺后补政策",
    intro: "设置哪些资料可以容缺后补、最长期限、提醒时间、宽限期和失信限制。每次修改都会保存为新版本并记入审计日志，只适用于此后受理的容缺事项。",
    current: "现行政策（{{time}} 起）",
    deferrableCodes: "可容缺的资料项",
    deferrableHint: "通常为检验报告等次要资料；核心资料不得容缺。",
    maxDeferralWorkingDays: "最长容缺期限（自受理之日起的工作日）",
    reminderOffsets: "提醒时间（到期前的工作日数，逗号分隔）",
    reminderHint: "0 表示到期当日，-1 表示逾期 1 个工作日（升级提醒窗口人员）。",
    graceWorkingDays: "逾期宽限期（工作日）",
    barMonths: "失信后不得容缺的期限（月）",
    reason: "修改理由",
    save: "保存为新版本",
    saved: "新政策已生效，适用于此后受理的容缺事项。",
    history: "历史版本",
    createdAt: "生效时间",
    by: "修改人",
    defaultVersion: "系统默认",
    errors: {
      whole: "请输入整数",
      range: "数值超出允许范围",
      codes: "请至少选择一项可容缺的资料",
      offsets: "请输入以逗号分隔的整数，例如 5, 2, 1, 0, -1",
    },
  },
} as const;

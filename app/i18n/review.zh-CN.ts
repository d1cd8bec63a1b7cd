/** Strings of the review pages (zh-CN). */
export const reviewZhCN = {
  review: {
    errors: {
      kindFixed: "产品类别和注册类型决定资料目录，创建后不能修改；如需更改请新建申请。",
      noSuchAdvisor: "请选择一位在岗的辅导专员。",
      cannotComplete: "该项尚无文件或不适用说明，或仍有未解决的问题，不能标记为审核通过。",
    },
  },
} as const;

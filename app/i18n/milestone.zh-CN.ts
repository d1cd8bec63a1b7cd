/** milestone (zh-CN). */
export const milestoneZhCN = {
  milestone: {
    title: "milestone",
  },
};

/** indicator (zh-CN). */
export const indicatorZhCN = {
  indicator: {
    title: "indicator",
  },
};

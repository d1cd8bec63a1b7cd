/** queue (zh-CN). */
export const queueZhCN = {
  queue: {
    title: "queue",
  },
};

/** certificate (zh-CN). */
export const certificateZhCN = {
  certificate: {
    title: "certificate",
  },
};

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>Export view as PNG</source>
        <translation>导出视图为 PNG</translation>
    </message>
    <message>
        <source>Export view as SVG</source>
        <translation>导出视图为 SVG</translation>
    </message>
    <message>
        <source>Export animation</source>
        <translation>导出动画</translation>
    </message>
    <message>
        <source>Export trace</source>
        <translation>导出轨迹</translation>
    </message>
    <message>
        <source>Size in pixels (WIDTHxHEIGHT):</source>
        <translation>尺寸（像素，宽x高）：</translation>
    </message>
    <message>
        <source>Could not export {name}</source>
        <translation>无法导出 {name}</translation>
    </message>
    <message>
        <source>Recurrent</source>
        <translation>循环网络</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言模型</translation>
    </message>
    <message>
        <source>Seq2seq</source>
        <translation>编码-解码</translation>
    </message>
    <message>
        <source>Hopfield</source>
        <translation>霍普菲尔德</translation>
    </message>
    <message>
        <source>Boltzmann machine</source>
        <translation>玻尔兹曼机</translation>
    </message>
    <message>
        <source>RBM</source>
        <translation>受限玻尔兹曼机</translation>
    </message>
    <message>
        <source>Deep belief net</source>
        <translation>深度信念网络</translation>
    </message>
    <message>
        <source>Deep autoencoder</source>
        <translation>深度自编码器</translation>
    </message>
    <message>
        <source>Unroll</source>
        <translation>展开</translation>
    </message>
    <message>
        <source>watch memory networks think and learn</source>
        <translation>观看有记忆的网络如何思考与学习</translation>
    </message>
    <message>
        <source>play/pause</source>
        <translation>播放/暂停</translation>
    </message>
    <message>
        <source>step by step</source>
        <translation>逐步</translation>
    </message>
    <message>
        <source>presentation mode</source>
        <translation>演示模式</translation>
    </message>
    <message>
        <source>language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>open a file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开</translation>
    </message>
    <message>
        <source>&amp;Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>Save session &amp;as…</source>
        <translation>会话另存为…</translation>
    </message>
    <message>
        <source>&amp;Export view as PNG…</source>
        <translation>导出视图为 PNG…</translation>
    </message>
    <message>
        <source>Export view as &amp;SVG…</source>
        <translation>导出视图为 SVG…</translation>
    </message>
    <message>
        <source>Export &amp;animation (GIF/MP4)…</source>
        <translation>导出动画 (GIF/MP4)…</translation>
    </message>
    <message>
        <source>Export &amp;trace (.npz/.csv)…</source>
        <translation>导出轨迹 (.npz/.csv)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>演示模式</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Next language</source>
        <translation>切换语言</translation>
    </message>
    <message>
        <source>Open in {lab}</source>
        <translation>在 {lab} 中打开</translation>
    </message>
    <message>
        <source>Could not open {name}</source>
        <translation>无法打开 {name}</translation>
    </message>
    <message>
        <source>Opened {name}</source>
        <translation>已打开 {name}</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>{path} no longer exists; it was taken off the list</source>
        <translation>{path} 已不存在，已从列表中移除</translation>
    </message>
    <message>
        <source>Save the {lab} session</source>
        <translation>保存 {lab} 会话</translation>
    </message>
    <message>
        <source>Edit the lesson</source>
        <translation>编辑课程</translation>
    </message>
    <message>
        <source>Add this moment as a step</source>
        <translation>把此刻添加为一步</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Move the step earlier</source>
        <translation>把这一步前移</translation>
    </message>
    <message>
        <source>Move the step later</source>
        <translation>把这一步后移</translation>
    </message>
    <message>
        <source>Save the lesson…</source>
        <translation>保存课程…</translation>
    </message>
    <message>
        <source>Title (English)</source>
        <translation>标题（英文）</translation>
    </message>
    <message>
        <source>Title (Chinese)</source>
        <translation>标题（中文）</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>Unroll lessons</source>
        <translation>Unroll 课程</translation>
    </message>
    <message>
        <source>Save the lesson</source>
        <translation>保存课程</translation>
    </message>
    <message>
        <source>A lesson needs at least one step before it can be saved</source>
        <translation>课程至少要有一步才能保存</translation>
    </message>
    <message>
        <source>Could not save {name}</source>
        <translation>无法保存 {name}</translation>
    </message>
    <message>
        <source>Saved {name}</source>
        <translation>已保存 {name}</translation>
    </message>
    <message>
        <source>Could not restore</source>
        <translation>无法恢复</translation>
    </message>
    <message>
        <source>Restored the autosaved work</source>
        <translation>已恢复自动保存的工作</translation>
    </message>
    <message>
        <source>fixed point</source>
        <translation>不动点</translation>
    </message>
    <message>
        <source>2-cycle</source>
        <translation>二周期振荡</translation>
    </message>
    <message>
        <source>the sweep limit</source>
        <translation>扫描次数上限</translation>
    </message>
    <message>
        <source>stored</source>
        <translation>已存储</translation>
    </message>
    <message>
        <source>reversed</source>
        <translation>反相</translation>
    </message>
    <message>
        <source>mixture of</source>
        <translation>混合态</translation>
    </message>
    <message>
        <source>spurious: a false memory</source>
        <translation>伪状态：虚假记忆</translation>
    </message>
    <message>
        <source>not a memory yet, nearest «{label}»</source>
        <translation>尚未到达记忆，最接近 «{label}»</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>回忆</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <source>Capacity experiment failed: {reason}</source>
        <translation>容量实验失败：{reason}</translation>
    </message>
    <message>
        <source>type one or more characters to store</source>
        <translation>请输入要存储的一个或多个字符</translation>
    </message>
    <message>
        <source>The saved recall was run again here and ends differently from the saved one (a tie broken the other way); this run is shown.</source>
        <translation>保存的回忆在这里重新运行，结果与保存的不同（平局被反向打破）；显示的是本次运行。</translation>
    </message>
    <message>
        <source>{patterns} patterns stored in N = {units} units ({size}×{size}); load P/N = {load} (Hebb holds random patterns up to ≈ 0.138)</source>
        <translation>已在 N = {units} 个单元（{size}×{size}）中存储 {patterns} 个模式；负载 P/N = {load}（Hebb 规则最多可存约 0.138 的随机模式）</translation>
    </message>
    <message>
        <source>No recall yet: store a pattern, then press Recall.</source>
        <translation>尚未回忆：先存储一个模式，再按“回忆”。</translation>
    </message>
    <message>
        <source>Stopped at a {reason} after {sweeps} sweeps ({steps} steps): {found}.</source>
        <translation>在 {sweeps} 次扫描（{steps} 步）后停于{reason}：{found}。</translation>
    </message>
    <message>
        <source>step {step}: {found}</source>
        <translation>第 {step} 步：{found}</translation>
    </message>
    <message>
        <source>no recall yet</source>
        <translation>尚未回忆</translation>
    </message>
    <message>
        <source>sweep {sweep}/{sweeps}</source>
        <translation>扫描 {sweep}/{sweeps}</translation>
    </message>
    <message>
        <source>step {step}/{steps} · sweep {sweep}</source>
        <translation>第 {step}/{steps} 步 · 第 {sweep} 次扫描</translation>
    </message>
    <message>
        <source>Capacity experiment cancelled</source>
        <translation>容量实验已取消</translation>
    </message>
    <message>
        <source>Estimate log-likelihood (AIS)</source>
        <translation>估计对数似然</translation>
    </message>
    <message>
        <source>Log-likelihood</source>
        <translation>对数似然</translation>
    </message>
    <message>
        <source>Annealed importance sampling (Salakhutdinov &amp; Murray 2008) on a copy of the model: the mean log p(v) of the training patterns in nats, ± 3 standard errors of the chains&apos; mean weight. Training goes on.</source>
        <translation>在模型副本上做退火重要性采样（Salakhutdinov &amp; Murray 2008）：训练样本的平均 log p(v)（单位 nat），± 链平均权重的 3 个标准误。训练继续进行。</translation>
    </message>
    <message>
        <source>not estimated yet</source>
        <translation>尚未估计</translation>
    </message>
    <message>
        <source>Estimating…</source>
        <translation>估计中</translation>
    </message>
    <message>
        <source>log-likelihood ≈ {value} {spread} (AIS, {chains} chains; epoch {epoch})</source>
        <translation>对数似然 ≈ {value} {spread}（AIS，{chains} 条链；第 {epoch} 轮）</translation>
    </message>
    <message>
        <source>Gibbs chain</source>
        <translation>吉布斯链</translation>
    </message>
    <message>
        <source>Weight filters</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Codes</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Reconstructions</source>
        <translation>重构</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>One epoch now: of pre-training, then of fine-tuning</source>
        <translation>立即训练一轮：先预训练，后微调</translation>
    </message>
    <message>
        <source>A fresh stack with random weights on the same data</source>
        <translation>同一数据上的新一叠 RBM（随机权重）</translation>
    </message>
    <message>
        <source>pre-training and fine-tuning are done; Reset or Apply starts again</source>
        <translation>预训练与微调都已完成；重置或应用以重新开始</translation>
    </message>
    <message>
        <source>Autoencoder lab: layers {sizes}</source>
        <translation>自编码器实验：各层 {sizes}</translation>
    </message>
    <message>
        <source>training images</source>
        <translation>训练图像</translation>
    </message>
    <message>
        <source>code layer linear</source>
        <translation>编码层为线性</translation>
    </message>
    <message>
        <source>pre-training</source>
        <translation>预训练</translation>
    </message>
    <message>
        <source>fine-tuning</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>pre-training epoch {epoch}: no autoencoder yet</source>
        <translation>预训练第 {epoch} 轮：尚无自编码器</translation>
    </message>
    <message>
        <source>unrolled, before fine-tuning: decoder = encoder transposed</source>
        <translation>展开后、微调前：解码器 = 编码器的转置</translation>
    </message>
    <message>
        <source>after fine-tuning epoch {epoch}</source>
        <translation>微调第 {epoch} 轮后</translation>
    </message>
    <message>
        <source>held-out images</source>
        <translation>留出图像</translation>
    </message>
    <message>
        <source>pre-training {epoch}</source>
        <translation>预训练 {epoch}</translation>
    </message>
    <message>
        <source>unrolled</source>
        <translation>已展开</translation>
    </message>
    <message>
        <source>fine-tuning {epoch}</source>
        <translation>微调 {epoch}</translation>
    </message>
    <message>
        <source>Surprisal</source>
        <translation>意外度</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>生成文本</translation>
    </message>
    <message>
        <source>Beam tree</source>
        <translation>束搜索树</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>Inside the network</source>
        <translation>网络内部</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>loss {loss:.3f} nats</source>
        <translation>损失 {loss:.3f} 奈特</translation>
    </message>
    <message>
        <source>{chars:,.0f} characters/s</source>
        <translation>{chars:,.0f} 字符/秒</translation>
    </message>
    <message>
        <source>Open a text</source>
        <translation>打开文本</translation>
    </message>
    <message>
        <source>Language lab: {name}, {n:,} characters, a vocabulary of {v:,}</source>
        <translation>语言模型实验：{name}，{n:,} 个字符，词表 {v:,} 个字符</translation>
    </message>
    <message>
        <source>the log-likelihood estimate failed: {reason}</source>
        <translation>对数似然估计失败：{reason}</translation>
    </message>
    <message>
        <source>RBM lab: {source}, {n} hidden units</source>
        <translation>RBM 实验：{source}，{n} 个隐藏单元</translation>
    </message>
    <message>
        <source>Open binary images</source>
        <translation>打开二值图像</translation>
    </message>
    <message>
        <source>RBM lab: training on {source}</source>
        <translation>RBM 实验：在 {source} 上训练</translation>
    </message>
    <message>
        <source>A folder of binary PNG images</source>
        <translation>二值 PNG 图像文件夹</translation>
    </message>
    <message>
        <source>Could not use {paths}: {reason}</source>
        <translation>无法使用 {paths}：{reason}</translation>
    </message>
    <message>
        <source>training patterns</source>
        <translation>个训练样本</translation>
    </message>
    <message>
        <source>visible units</source>
        <translation>个可见单元</translation>
    </message>
    <message>
        <source>hidden units</source>
        <translation>个隐藏单元</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>各层</translation>
    </message>
    <message>
        <source>Dream</source>
        <translation>梦境</translation>
    </message>
    <message>
        <source>Classify</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>One epoch of the layer in training, now</source>
        <translation>立即训练当前层一轮</translation>
    </message>
    <message>
        <source>every layer is trained; Reset or Apply starts a new stack</source>
        <translation>各层都已训练完毕；重置或应用以开始新的一叠</translation>
    </message>
    <message>
        <source>DBN lab: {source}, layers {layers}</source>
        <translation>深度信念网络实验：{source}，各层 {layers}</translation>
    </message>
    <message>
        <source>DBN lab: training on {source}</source>
        <translation>深度信念网络实验：在 {source} 上训练</translation>
    </message>
    <message>
        <source>no labels: these images have no classes</source>
        <translation>无标签：这些图像没有类别</translation>
    </message>
    <message>
        <source>classification starts when the top layer, with its label units, trains</source>
        <translation>顶层（带标签单元）开始训练后才能分类</translation>
    </message>
    <message>
        <source>labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>reconstruction error</source>
        <translation>重构误差</translation>
    </message>
    <message>
        <source>held-out accuracy</source>
        <translation>留出准确率</translation>
    </message>
    <message>
        <source>Gibbs step</source>
        <translation>吉布斯步</translation>
    </message>
    <message>
        <source>exact log-likelihood: tracked (small model)</source>
        <translation>精确对数似然：已跟踪（小模型）</translation>
    </message>
    <message>
        <source>v0 start</source>
        <translation>v0 起点</translation>
    </message>
    <message>
        <source>forward sweep</source>
        <translation>前向传播</translation>
    </message>
    <message>
        <source>Jump to the start of the forward sweep (compute h_t step by step)</source>
        <translation>跳到前向传播的开头（逐步计算 h_t）</translation>
    </message>
    <message>
        <source>backward sweep</source>
        <translation>反向传播</translation>
    </message>
    <message>
        <source>Jump to the start of the backward sweep (gradients flow back in time)</source>
        <translation>跳到反向传播的开头（梯度沿时间反传）</translation>
    </message>
    <message>
        <source>Unrolled</source>
        <translation>展开图</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Gates</source>
        <translation>门控</translation>
    </message>
    <message>
        <source>States</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Memory length</source>
        <translation>记忆长度</translation>
    </message>
    <message>
        <source>▶ or Space plays the forward and backward sweeps; &lt;b&gt;Train&lt;/b&gt; makes it learn</source>
        <translation>▶ 或空格键播放前向与反向传播；&lt;b&gt;训练&lt;/b&gt;让它学习</translation>
    </message>
    <message>
        <source>training step {step}</source>
        <translation>训练步 {step}</translation>
    </message>
    <message>
        <source>batch loss {loss}</source>
        <translation>批损失 {loss}</translation>
    </message>
    <message>
        <source>this sequence: loss {loss}</source>
        <translation>这条序列：损失 {loss}</translation>
    </message>
    <message>
        <source>teacher-forced; {loss} closed-loop</source>
        <translation>教师强制；闭环 {loss}</translation>
    </message>
    <message>
        <source>Comparison refused: {reason}</source>
        <translation>比较被拒绝：{reason}</translation>
    </message>
    <message>
        <source>the LSTM forget gate&apos;s starting bias: at 1 a new network keeps its cell state, and the gradient reaches further back</source>
        <translation>LSTM 遗忘门的初始偏置：取 1 时新网络会保留细胞状态，梯度也能传得更远</translation>
    </message>
    <message>
        <source>cell</source>
        <translation>单元类型</translation>
    </message>
    <message>
        <source>variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>hidden size</source>
        <translation>隐藏单元数</translation>
    </message>
    <message>
        <source>num layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>dropout</source>
        <translation>丢弃率</translation>
    </message>
    <message>
        <source>forget bias</source>
        <translation>遗忘门偏置</translation>
    </message>
    <message>
        <source>task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>clip norm</source>
        <translation>裁剪阈值</translation>
    </message>
    <message>
        <source>truncate</source>
        <translation>截断</translation>
    </message>
    <message>
        <source>window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>input delays</source>
        <translation>输入延迟</translation>
    </message>
    <message>
        <source>output delays</source>
        <translation>输出延迟</translation>
    </message>
    <message>
        <source>feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>adding</source>
        <translation>加法问题</translation>
    </message>
    <message>
        <source>copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>parity</source>
        <translation>奇偶校验</translation>
    </message>
    <message>
        <source>sine</source>
        <translation>正弦</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>reber</source>
        <translation>Reber 文法</translation>
    </message>
    <message>
        <source>embedded reber</source>
        <translation>嵌入式 Reber 文法</translation>
    </message>
    <message>
        <source>standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>no forget</source>
        <translation>无遗忘门</translation>
    </message>
    <message>
        <source>coupled</source>
        <translation>耦合门</translation>
    </message>
    <message>
        <source>SGD + momentum</source>
        <translation>SGD + 动量</translation>
    </message>
    <message>
        <source>latching</source>
        <translation>锁存</translation>
    </message>
    <message>
        <source>closed-loop (its own outputs)</source>
        <translation>闭环（反馈自己的输出）</translation>
    </message>
    <message>
        <source>teacher-forced (true outputs)</source>
        <translation>教师强制（反馈真实输出）</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Train in the background; the pictures follow the latest weights</source>
        <translation>在后台训练；图像跟随最新的权重</translation>
    </message>
    <message>
        <source>+{steps} steps</source>
        <translation>+{steps} 步</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>New weights from the seed; the training history starts again</source>
        <translation>按种子重新生成权重；训练历史从头开始</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Co-occurrences</source>
        <translation>共现统计</translation>
    </message>
    <message>
        <source>Learning</source>
        <translation>学习</translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>Open a Boltzmann machine</source>
        <translation>打开玻尔兹曼机</translation>
    </message>
    <message>
        <source>Boltzmann lab: {source}</source>
        <translation>玻尔兹曼机实验：{source}</translation>
    </message>
    <message>
        <source>{n} units ({visible} visible, {hidden} hidden), {pairs} joined pairs, {vectors} training vectors</source>
        <translation>{n} 个单元（{visible} 个可见，{hidden} 个隐单元），{pairs} 对连接，{vectors} 个训练向量</translation>
    </message>
    <message>
        <source>codes distinct after cycle {cycle}</source>
        <translation>第 {cycle} 周期后编码各不相同</translation>
    </message>
    <message>
        <source>codes not yet distinct</source>
        <translation>编码尚未区分开</translation>
    </message>
    <message>
        <source>cycle {cycle}</source>
        <translation>第 {cycle} 周期</translation>
    </message>
    <message>
        <source>exact at T = {T}, weights of cycle {cycle}; G = {G}</source>
        <translation>精确值，T = {T}，第 {cycle} 周期的权重；G = {G}</translation>
    </message>
    <message>
        <source>sampled in cycle {cycle}</source>
        <translation>第 {cycle} 周期的采样值</translation>
    </message>
    <message>
        <source>no learning cycle yet: press Learn or One cycle</source>
        <translation>尚无学习周期：请按“学习”或“学习一周期”</translation>
    </message>
    <message>
        <source>start: random states</source>
        <translation>开始：随机状态</translation>
    </message>
    <message>
        <source>probe {k}: unit {unit} → {state}</source>
        <translation>第 {k} 次探查：单元 {unit} → {state}</translation>
    </message>
    <message>
        <source>annealing {k}/{n}</source>
        <translation>退火 {k}/{n}</translation>
    </message>
    <message>
        <source>sampling {k}/{n}</source>
        <translation>采样 {k}/{n}</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>units per layer</source>
        <translation>每层的单元数</translation>
    </message>
    <message>
        <source>stacked layers</source>
        <translation>堆叠的层数</translation>
    </message>
    <message>
        <source>bidirectional</source>
        <translation>双向</translation>
    </message>
    <message>
        <source>dropout on every layer&apos;s input (training only)</source>
        <translation>对每层输入做丢弃（仅训练时）</translation>
    </message>
    <message>
        <source>sequence length (the delay, for copy)</source>
        <translation>序列长度（复制任务中为延迟）</translation>
    </message>
    <message>
        <source>sequences per training step</source>
        <translation>每个训练步的序列数</translation>
    </message>
    <message>
        <source>weights, data and dropout all follow this seed</source>
        <translation>权重、数据和丢弃都由这个种子决定</translation>
    </message>
    <message>
        <source>clip the global gradient norm to this (0: no clipping)</source>
        <translation>将全局梯度范数裁剪到此值（0：不裁剪）</translation>
    </message>
    <message>
        <source>truncated BPTT window in steps (0: full backpropagation through time)</source>
        <translation>截断 BPTT 的窗口步数（0：完整的随时间反向传播）</translation>
    </message>
    <message>
        <source>TDNN: frames each layer sees (its window); AR: the order K</source>
        <translation>TDNN：每层看到的帧数（窗口）；AR：阶数 K</translation>
    </message>
    <message>
        <source>NARX: input taps x_t … x_(t−Kx+1)</source>
        <translation>NARX：输入抽头 x_t … x_(t−Kx+1)</translation>
    </message>
    <message>
        <source>NARX: fed-back outputs y_(t−1) … y_(t−Ky)</source>
        <translation>NARX：反馈的输出 y_(t−1) … y_(t−Ky)</translation>
    </message>
    <message>
        <source>Selection</source>
        <translation>选择</translation>
    </message>
    <message>
        <source>the unit every view marks (click a heatmap to choose)</source>
        <translation>所有视图标出的单元（点击热图选择）</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Setting refused: {problem}</source>
        <translation>设置被拒绝：{problem}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>how many patterns can N units hold?</source>
        <translation>N 个单元能存多少个模式？</translation>
    </message>
    <message>
        <source>Press Run: each point stores P random patterns and tries to recall every one.</source>
        <translation>按“运行”：每个点存储 P 个随机模式，并尝试逐一回忆。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>fraction recalled exactly</source>
        <translation>完全回忆的比例</translation>
    </message>
    <message>
        <source>bit error (wrong units / N)</source>
        <translation>位错误率（错误单元数 / N）</translation>
    </message>
    <message>
        <source>4-2-4 encoder</source>
        <translation>4-2-4 编码器</translation>
    </message>
    <message>
        <source>4-3-4 encoder</source>
        <translation>4-3-4 编码器</translation>
    </message>
    <message>
        <source>8-3-8 encoder</source>
        <translation>8-3-8 编码器</translation>
    </message>
    <message>
        <source>my machine</source>
        <translation>我的模型</translation>
    </message>
    <message>
        <source>sampled in the last cycle</source>
        <translation>上一周期的采样值</translation>
    </message>
    <message>
        <source>exact, current weights</source>
        <translation>精确值（当前权重）</translation>
    </message>
    <message>
        <source>Machine</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Open a machine…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>An .npz with mask (n × n of 0/1), data (M × V of 0/1) and visible (V unit numbers); W (n × n) and b (n) optional</source>
        <translation>一个 .npz 文件：mask（n × n 的 0/1）、data（M × V 的 0/1）和 visible（V 个单元编号）；W（n × n）和 b（n）可选</translation>
    </message>
    <message>
        <source>network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Annealing run</source>
        <translation>退火运行</translation>
    </message>
    <message>
        <source>time units@temperature, cooling; a time unit is one probe per free unit</source>
        <translation>时间单位@温度，逐步降温；一个时间单位即对每个自由单元探查一次</translation>
    </message>
    <message>
        <source>the temperature the run anneals down to and samples at; the stages of the schedule at or below it are skipped</source>
        <translation>退火降到并在其上采样的温度；进度表中不高于它的阶段被跳过</translation>
    </message>
    <message>
        <source>time units sampled at the final temperature</source>
        <translation>在最终温度下采样的时间单位数</translation>
    </message>
    <message>
        <source>the run&apos;s random numbers</source>
        <translation>本次运行的随机数</translation>
    </message>
    <message>
        <source>play a time unit per frame</source>
        <translation>每帧播放一个时间单位</translation>
    </message>
    <message>
        <source>as many probes per frame as there are free units, instead of one</source>
        <translation>每帧探查的次数等于自由单元数，而不是一次</translation>
    </message>
    <message>
        <source>New run</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <source>anneal again with the next seed</source>
        <translation>用下一个种子重新退火</translation>
    </message>
    <message>
        <source>schedule</source>
        <translation>进度表</translation>
    </message>
    <message>
        <source>temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>sample for</source>
        <translation>采样时长</translation>
    </message>
    <message>
        <source>annealing %p%</source>
        <translation>退火 %p%</translation>
    </message>
    <message>
        <source>Cancel the run</source>
        <translation>取消运行</translation>
    </message>
    <message>
        <source>Learn</source>
        <translation>学习</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>stop, and go back to the weights from before this run of learning</source>
        <translation>停止，并回到本次学习之前的权重</translation>
    </message>
    <message>
        <source>One cycle</source>
        <translation>学习一周期</translation>
    </message>
    <message>
        <source>Reset weights</source>
        <translation>重置权重</translation>
    </message>
    <message>
        <source>cycle %v of %m</source>
        <translation>周期 %v / %m</translation>
    </message>
    <message>
        <source>noisy clamping</source>
        <translation>带噪声固定</translation>
    </message>
    <message>
        <source>each clamped on bit turned off with p = 0.15, each off bit on with p = 0.05</source>
        <translation>固定时每个为 1 的位以 p = 0.15 变为 0，每个为 0 的位以 p = 0.05 变为 1</translation>
    </message>
    <message>
        <source>stop when the codes are distinct</source>
        <translation>编码区分开后停止</translation>
    </message>
    <message>
        <source>learning stops after this many cycles</source>
        <translation>学习在这么多周期后停止</translation>
    </message>
    <message>
        <source>learning&apos;s random numbers; a new seed starts again from the first weights</source>
        <translation>学习用的随机数；换种子会从初始权重重新开始</translation>
    </message>
    <message>
        <source>cycles</source>
        <translation>周期数</translation>
    </message>
    <message>
        <source>co-occurrences</source>
        <translation>共现统计</translation>
    </message>
    <message>
        <source>training vector {k}</source>
        <translation>训练向量 {k}</translation>
    </message>
    <message>
        <source>N = {units}, {rule} rule, {trials} trials, {noise} of units flipped at the start. Theory (Hebb, large N): recall breaks down near P = {limit}.</source>
        <translation>N = {units}，{rule}规则，{trials} 次试验，开始时翻转 {noise} 的单元。理论（Hebb，大 N）：P 接近 {limit} 时回忆失效。</translation>
    </message>
    <message>
        <source>load P / N</source>
        <translation>负载 P / N</translation>
    </message>
    <message>
        <source>fraction</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>async: one unit at a time</source>
        <translation>异步</translation>
    </message>
    <message>
        <source>sync: all units at once</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>New grid</source>
        <translation>新网格</translation>
    </message>
    <message>
        <source>Start a fresh grid of this size (clears the memory)</source>
        <translation>按此尺寸新建网格（清空记忆）</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>绘制</translation>
    </message>
    <message>
        <source>Left button inks a unit (+1, black), right button erases it (−1, white)</source>
        <translation>左键涂黑单元（+1，黑），右键擦除（−1，白）</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>遮罩</translation>
    </message>
    <message>
        <source>Drag a rectangle over the grid to overwrite it with the mask fill</source>
        <translation>在网格上拖出矩形，用遮罩填充覆盖</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Blank the grid</source>
        <translation>清空网格</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>记忆</translation>
    </message>
    <message>
        <source>Learning rule; changing it relearns the stored patterns</source>
        <translation>学习规则；更改后重新学习已存储的模式</translation>
    </message>
    <message>
        <source>rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Letters and digits use the built-in 5×7 font; tick the box for any character</source>
        <translation>字母和数字使用内置 5×7 字体；勾选此框可用任意字符</translation>
    </message>
    <message>
        <source>any character, system font</source>
        <translation>任意字符</translation>
    </message>
    <message>
        <source>Store text</source>
        <translation>存储文字</translation>
    </message>
    <message>
        <source>Store drawing</source>
        <translation>存图</translation>
    </message>
    <message>
        <source>Add the grid as it is now to the memory</source>
        <translation>把当前网格加入记忆</translation>
    </message>
    <message>
        <source>Clear memory</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Forget every stored pattern</source>
        <translation>忘记所有已存储的模式</translation>
    </message>
    <message>
        <source>Start state</source>
        <translation>起点</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Flip {percent} %</source>
        <translation>翻转 {percent} %</translation>
    </message>
    <message>
        <source>Flip this share of the units, chosen at random</source>
        <translation>随机翻转这一比例的单元</translation>
    </message>
    <message>
        <source>fill {fill}</source>
        <translation>填充 {fill}</translation>
    </message>
    <message>
        <source>What a mask writes: units off (white), on (black) or random</source>
        <translation>遮罩写入的值：关（白）、开（黑）或随机</translation>
    </message>
    <message>
        <source>Mask bottom half</source>
        <translation>遮住下半</translation>
    </message>
    <message>
        <source>Overwrite the lower half of the grid with the fill</source>
        <translation>用填充覆盖网格下半部分</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>fixed</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Order of visits in asynchronous recall: a fresh shuffle each sweep, or 0, 1, 2, …</source>
        <translation>异步回忆中的访问顺序：每轮重新打乱，或 0、1、2、…</translation>
    </message>
    <message>
        <source>by unit</source>
        <translation>按单元</translation>
    </message>
    <message>
        <source>by sweep</source>
        <translation>按轮</translation>
    </message>
    <message>
        <source>How far one playhead step moves in asynchronous recall</source>
        <translation>异步回忆中播放头每步前进多少</translation>
    </message>
    <message>
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>animate</source>
        <translation>动画</translation>
    </message>
    <message>
        <source>Run the network from the start state</source>
        <translation>从起点运行网络</translation>
    </message>
    <message>
        <source>Annealing schedule</source>
        <translation>退火进度表</translation>
    </message>
    <message>
        <source>Energy</source>
        <translation>能量</translation>
    </message>
    <message>
        <source>time units</source>
        <translation>时间单位</translation>
    </message>
    <message>
        <source>step (one unit visited per step)</source>
        <translation>步（每步访问一个单元）</translation>
    </message>
    <message>
        <source>sweep (all units at once)</source>
        <translation>轮（所有单元同时更新）</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>重叠</translation>
    </message>
    <message>
        <source>stored pattern</source>
        <translation>存储的模式</translation>
    </message>
    <message>
        <source>{rule} rule, {patterns} patterns</source>
        <translation>{rule}规则，{patterns} 个模式</translation>
    </message>
    <message>
        <source>nothing stored yet</source>
        <translation>尚未存储</translation>
    </message>
    <message>
        <source>clamped</source>
        <translation>固定相</translation>
    </message>
    <message>
        <source>free</source>
        <translation>自由相</translation>
    </message>
    <message>
        <source>difference</source>
        <translation>差</translation>
    </message>
    <message>
        <source>unit j</source>
        <translation>单元 j</translation>
    </message>
    <message>
        <source>unit i</source>
        <translation>单元 i</translation>
    </message>
    <message>
        <source>bars &amp; stripes</source>
        <translation>条纹</translation>
    </message>
    <message>
        <source>digits in six faces</source>
        <translation>六种字形的数字</translation>
    </message>
    <message>
        <source>Data, stack</source>
        <translation>数据、堆叠</translation>
    </message>
    <message>
        <source>the digits&apos; canvas, pixels a side</source>
        <translation>数字画布的边长（像素）</translation>
    </message>
    <message>
        <source>images drawn of each digit</source>
        <translation>每个数字绘制的图像数</translation>
    </message>
    <message>
        <source>chance that a pixel is flipped</source>
        <translation>像素被翻转的概率</translation>
    </message>
    <message>
        <source>hidden units of each layer, bottom-up, separated by commas</source>
        <translation>自下而上每层的隐藏单元数，以逗号分隔</translation>
    </message>
    <message>
        <source>label units on the top layer</source>
        <translation>顶层加标签单元</translation>
    </message>
    <message>
        <source>random seed for the images, the split and the weights</source>
        <translation>图像、划分与权重的随机种子</translation>
    </message>
    <message>
        <source>fraction of the images kept aside to classify</source>
        <translation>留出用于分类的图像比例</translation>
    </message>
    <message>
        <source>Layers, dreams, labels</source>
        <translation>层、梦境、标签</translation>
    </message>
    <message>
        <source>the layer whose filters the Layers view shows</source>
        <translation>各层视图显示其滤波器的层</translation>
    </message>
    <message>
        <source>Gibbs steps at the top RBM</source>
        <translation>顶层 RBM 的吉布斯步数</translation>
    </message>
    <message>
        <source>Run the top RBM&apos;s chains from random states and watch them at the pixels</source>
        <translation>从随机状态运行顶层 RBM 的链，并在像素层观看</translation>
    </message>
    <message>
        <source>the held-out image whose free energies the Classify view shows</source>
        <translation>分类视图显示其自由能的留出图像</translation>
    </message>
    <message>
        <source>layer shown</source>
        <translation>显示的层</translation>
    </message>
    <message>
        <source>dream of</source>
        <translation>梦见</translation>
    </message>
    <message>
        <source>held-out image</source>
        <translation>留出图像</translation>
    </message>
    <message>
        <source>each class</source>
        <translation>每个类别</translation>
    </message>
    <message>
        <source>free labels</source>
        <translation>标签自由</translation>
    </message>
    <message>
        <source>class {name}</source>
        <translation>类别 {name}</translation>
    </message>
    <message>
        <source>digits, letters</source>
        <translation>字符</translation>
    </message>
    <message>
        <source>my images</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>none (free)</source>
        <translation>不固定</translation>
    </message>
    <message>
        <source>top half</source>
        <translation>上半</translation>
    </message>
    <message>
        <source>bottom</source>
        <translation>下半</translation>
    </message>
    <message>
        <source>left</source>
        <translation>左半</translation>
    </message>
    <message>
        <source>right</source>
        <translation>右半</translation>
    </message>
    <message>
        <source>Data, training</source>
        <translation>数据与训练</translation>
    </message>
    <message>
        <source>image height</source>
        <translation>图像高度</translation>
    </message>
    <message>
        <source>image width</source>
        <translation>图像宽度</translation>
    </message>
    <message>
        <source>characters to learn: A–Z, 0–9</source>
        <translation>要学习的字符：A–Z、0–9</translation>
    </message>
    <message>
        <source>glyph image size in pixels</source>
        <translation>字符图像尺寸（像素）</translation>
    </message>
    <message>
        <source>fraction of the patterns kept aside to compare free energies</source>
        <translation>留出用于比较自由能的样本比例</translation>
    </message>
    <message>
        <source>hidden units; above 20 in both layers the exact likelihood is unavailable</source>
        <translation>隐藏单元数；两层都超过 20 个时无法计算精确似然</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Gibbs steps in the negative phase</source>
        <translation>负相中的吉布斯步数</translation>
    </message>
    <message>
        <source>PCD (persistent)</source>
        <translation>PCD（持续）</translation>
    </message>
    <message>
        <source>CD-k starts the negative phase at the data; PCD keeps its chains between updates</source>
        <translation>CD-k 从数据开始负相；PCD 在更新之间保留其链</translation>
    </message>
    <message>
        <source>random seed for the weights, the split and the sampling</source>
        <translation>权重、划分与采样的随机种子</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>A new model when the data, size, seed or split changed; otherwise training goes on</source>
        <translation>数据、尺寸、种子或划分改变时新建模型；否则继续训练</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>every PNG image in a folder (one size; dark = 1)</source>
        <translation>文件夹中的所有 PNG 图像（同一尺寸；深色 = 1）</translation>
    </message>
    <message>
        <source>Data, network</source>
        <translation>数据、网络</translation>
    </message>
    <message>
        <source>hidden units between the pixels and the code, separated by commas</source>
        <translation>像素与编码之间各隐藏层的单元数，以逗号分隔</translation>
    </message>
    <message>
        <source>epochs of each layer</source>
        <translation>每层的训练轮数</translation>
    </message>
    <message>
        <source>code units: the size of the bottleneck (PCA keeps as many components)</source>
        <translation>编码单元数：瓶颈的大小（PCA 保留同样多的主成分）</translation>
    </message>
    <message>
        <source>.npy array (M, n) or (M, h, w) of 0/1, or PNG images of one size (dark = 1)</source>
        <translation>0/1 的 .npy 数组 (M, n) 或 (M, h, w)，或同一尺寸的 PNG 图像（深色 = 1）</translation>
    </message>
    <message>
        <source>data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>canvas</source>
        <translation>画布</translation>
    </message>
    <message>
        <source>per class</source>
        <translation>每类</translation>
    </message>
    <message>
        <source>noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>code size</source>
        <translation>编码维数</translation>
    </message>
    <message>
        <source>epochs per layer</source>
        <translation>每层轮数</translation>
    </message>
    <message>
        <source>fine-tuning epochs</source>
        <translation>微调轮数</translation>
    </message>
    <message>
        <source>bars size</source>
        <translation>条纹尺寸</translation>
    </message>
    <message>
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <source>glyph size</source>
        <translation>字符尺寸</translation>
    </message>
    <message>
        <source>held out</source>
        <translation>留出</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>隐单元</translation>
    </message>
    <message>
        <source>red w &gt; 0, blue w &lt; 0, grey w = 0
width ∝ |w|, largest |w| = {w}</source>
        <translation>红色 w &gt; 0，蓝色 w &lt; 0，灰色 w = 0
线宽 ∝ |w|，最大 |w| = {w}</translation>
    </message>
    <message>
        <source>method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Train in the background; the views follow; press again to pause</source>
        <translation>在后台训练，视图随之更新；再按一次暂停</translation>
    </message>
    <message>
        <source>+1 epoch</source>
        <translation>+1 轮</translation>
    </message>
    <message>
        <source>One epoch now, then a new chain on the new weights</source>
        <translation>立即训练一轮，再用新权重运行一条新链</translation>
    </message>
    <message>
        <source>A fresh model with random weights on the same data</source>
        <translation>在同一数据上用随机权重新建模型</translation>
    </message>
    <message>
        <source>training pattern the chain starts from</source>
        <translation>链起始的训练样本</translation>
    </message>
    <message>
        <source>Gibbs sweeps v → h → v</source>
        <translation>吉布斯扫描 v → h → v</translation>
    </message>
    <message>
        <source>Unclamped pixels start as coin flips; off: the chain starts at the pattern itself</source>
        <translation>未固定的像素从随机翻硬币开始；关闭：链从样本本身开始</translation>
    </message>
    <message>
        <source>free pixels start as noise</source>
        <translation>自由像素起于噪声</translation>
    </message>
    <message>
        <source>drawn</source>
        <translation>手绘</translation>
    </message>
    <message>
        <source>Run chain</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Click pixels of v in the chain view to clamp or free them; clamped pixels keep their value.</source>
        <translation>在链视图中点击 v 的像素来固定或释放；固定的像素保持其值。</translation>
    </message>
    <message>
        <source>start pattern</source>
        <translation>起始样本</translation>
    </message>
    <message>
        <source>clamp</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <source>held-out data</source>
        <translation>留出数据</translation>
    </message>
    <message>
        <source>exact log-likelihood</source>
        <translation>精确对数似然</translation>
    </message>
    <message>
        <source>free energy</source>
        <translation>自由能</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>as an image, one per hidden unit j</source>
        <translation>显示为图像，每个隐藏单元 j 一幅</translation>
    </message>
    <message>
        <source>weight filters · epoch {epoch} · W[:, j] {what}</source>
        <translation>权重滤波器 · 第 {epoch} 轮 · W[:, j] {what}</translation>
    </message>
    <message>
        <source>English sample</source>
        <translation>英文样例</translation>
    </message>
    <message>
        <source>Chinese sample</source>
        <translation>中文样例</translation>
    </message>
    <message>
        <source>my file</source>
        <translation>我的文件</translation>
    </message>
    <message>
        <source>LSTM</source>
        <translation>长短期记忆</translation>
    </message>
    <message>
        <source>GRU</source>
        <translation>门控循环单元</translation>
    </message>
    <message>
        <source>greedy search</source>
        <translation>贪心搜索</translation>
    </message>
    <message>
        <source>sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>beam search</source>
        <translation>束搜索</translation>
    </message>
    <message>
        <source>+10 steps</source>
        <translation>+10 步</translation>
    </message>
    <message>
        <source>A fresh model with random weights on the same text</source>
        <translation>在同一文本上从随机权重重新开始的模型</translation>
    </message>
    <message>
        <source>Text, model</source>
        <translation>文本与模型</translation>
    </message>
    <message>
        <source>a UTF-8 text file, in any script</source>
        <translation>UTF-8 文本文件，任何文字均可</translation>
    </message>
    <message>
        <source>size of each character&apos;s vector; 0: one-hot input</source>
        <translation>每个字符向量的维数；0：独热输入</translation>
    </message>
    <message>
        <source>characters per chunk of truncated backpropagation</source>
        <translation>截断反向传播每段的字符数</translation>
    </message>
    <message>
        <source>parallel streams of the text</source>
        <translation>文本的并行流数</translation>
    </message>
    <message>
        <source>Adam&apos;s learning rate</source>
        <translation>Adam 的学习率</translation>
    </message>
    <message>
        <source>gradient norm clipped to this; 0: no clipping</source>
        <translation>梯度范数裁剪到此值；0：不裁剪</translation>
    </message>
    <message>
        <source>a sample is saved every this many steps</source>
        <translation>每隔这么多步保存一个样本</translation>
    </message>
    <message>
        <source>embedding</source>
        <translation>嵌入维数</translation>
    </message>
    <message>
        <source>layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>sequence length</source>
        <translation>序列长度</translation>
    </message>
    <message>
        <source>sample every</source>
        <translation>样本间隔</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>temperature on a log scale, 0.01 to 10: low is nearly greedy, high nearly uniform</source>
        <translation>对数刻度的温度，0.01 到 10：低则近乎贪心，高则近乎均匀</translation>
    </message>
    <message>
        <source>sample among the k likeliest only; 0: all</source>
        <translation>只在最可能的 k 个字符中采样；0：全部</translation>
    </message>
    <message>
        <source>sample within the smallest set of likeliest characters whose probability reaches p (nucleus)</source>
        <translation>在概率之和达到 p 的最小高概率字符集合中采样（核采样）</translation>
    </message>
    <message>
        <source>beam width k: 1 is greedy search</source>
        <translation>束宽 k：1 即贪心搜索</translation>
    </message>
    <message>
        <source>GNMT length penalty α: lp = ((5 + |Y|) / 6)^α</source>
        <translation>GNMT 长度惩罚 α：lp = ((5 + |Y|) / 6)^α</translation>
    </message>
    <message>
        <source>characters to write</source>
        <translation>要生成的字符数</translation>
    </message>
    <message>
        <source>seed of the sampler</source>
        <translation>采样器的随机种子</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>top-k</source>
        <translation>前 k 个（top-k）</translation>
    </message>
    <message>
        <source>top-p</source>
        <translation>核采样（top-p）</translation>
    </message>
    <message>
        <source>beam width</source>
        <translation>束宽</translation>
    </message>
    <message>
        <source>length penalty</source>
        <translation>长度惩罚</translation>
    </message>
    <message>
        <source>RNN</source>
        <translation>循环单元</translation>
    </message>
    <message>
        <source>RNN (ReLU)</source>
        <translation>循环单元</translation>
    </message>
    <message>
        <source>to output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>next layer</source>
        <translation>上一层</translation>
    </message>
    <message>
        <source>peephole</source>
        <translation>窥孔连接</translation>
    </message>
    <message>
        <source>reset after</source>
        <translation>后置重置</translation>
    </message>
    <message>
        <source>reset before</source>
        <translation>前置重置</translation>
    </message>
    <message>
        <source>New networks from the main settings</source>
        <translation>用主设置重建</translation>
    </message>
    <message>
        <source>Train all</source>
        <translation>同时训练</translation>
    </message>
    <message>
        <source>gradient back through time</source>
        <translation>梯度随时间反传</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>training step</source>
        <translation>训练步</translation>
    </message>
    <message>
        <source>training batches</source>
        <translation>训练批次</translation>
    </message>
    <message>
        <source>held-out text</source>
        <translation>留出文本</translation>
    </message>
    <message>
        <source>uniform model (vocabulary size)</source>
        <translation>均匀模型（词表大小）</translation>
    </message>
    <message>
        <source>unigram model (character frequencies)</source>
        <translation>一元模型（字符频率）</translation>
    </message>
    <message>
        <source>state s</source>
        <translation>状态 s</translation>
    </message>
    <message>
        <source>same batches, same sequence · training step {step}</source>
        <translation>相同的批次、相同的序列 · 训练步 {step}</translation>
    </message>
    <message>
        <source>loss: {losses}</source>
        <translation>损失：{losses}</translation>
    </message>
    <message>
        <source>pictures above: {flow}</source>
        <translation>上方各图：{flow}</translation>
    </message>
    <message>
        <source>loss at t</source>
        <translation>t 时刻的损失</translation>
    </message>
    <message>
        <source>Copy the equations</source>
        <translation>复制公式</translation>
    </message>
    <message>
        <source>input gate i</source>
        <translation>输入门</translation>
    </message>
    <message>
        <source>forget gate f</source>
        <translation>遗忘门</translation>
    </message>
    <message>
        <source>candidate g (c̃)</source>
        <translation>候选记忆</translation>
    </message>
    <message>
        <source>output gate o</source>
        <translation>输出门</translation>
    </message>
    <message>
        <source>reset gate r</source>
        <translation>重置门</translation>
    </message>
    <message>
        <source>update gate z</source>
        <translation>更新门</translation>
    </message>
    <message>
        <source>candidate n (h̃)</source>
        <translation>候选状态</translation>
    </message>
    <message>
        <source>activation h = φ(W x + U h)</source>
        <translation>隐状态</translation>
    </message>
    <message>
        <source>TDNN: h_t = tanh(Σ_k W_k u_(t−k) + b), no recurrent term</source>
        <translation>TDNN：h_t = tanh(Σ_k W_k u_(t−k) + b)，没有循环项</translation>
    </message>
    <message>
        <source>AR: h_t = Σ_k W_k x_(t−k) + b, linear</source>
        <translation>AR：h_t = Σ_k W_k x_(t−k) + b，线性</translation>
    </message>
    <message>
        <source>NARX: h_t = tanh(W_x x window + W_y y fed back + b)</source>
        <translation>NARX：h_t = tanh(W_x·输入窗口 + W_y·反馈输出 + b)</translation>
    </message>
    <message>
        <source>gradient flow</source>
        <translation>梯度流</translation>
    </message>
    <message>
        <source>singular values of W_hh</source>
        <translation>奇异值</translation>
    </message>
    <message>
        <source>index</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>gradient norms over training</source>
        <translation>各参数梯度范数</translation>
    </message>
    <message>
        <source>recurrent weights</source>
        <translation>循环权重</translation>
    </message>
    <message>
        <source>from unit</source>
        <translation>来自单元</translation>
    </message>
    <message>
        <source>gate row</source>
        <translation>门的行</translation>
    </message>
    <message>
        <source>delay-line singular values</source>
        <translation>延迟线的奇异值</translation>
    </message>
    <message>
        <source>delay-line weights</source>
        <translation>延迟线权重</translation>
    </message>
    <message>
        <source>input × tap, the oldest first</source>
        <translation>输入 × 抽头（最早的在前）</translation>
    </message>
    <message>
        <source>clip threshold θ = {clip}</source>
        <translation>裁剪阈值 θ = {clip}</translation>
    </message>
    <message>
        <source>hidden state h_t</source>
        <translation>隐状态</translation>
    </message>
    <message>
        <source>cell state c_t</source>
        <translation>细胞状态</translation>
    </message>
    <message>
        <source>selected unit over time</source>
        <translation>所选单元</translation>
    </message>
    <message>
        <source>outputs y_t fed back (NARX)</source>
        <translation>反馈的输出 y_t（NARX）</translation>
    </message>
    <message>
        <source>unit {unit} over time</source>
        <translation>所选单元 {unit}</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>‖g‖ before clipping</source>
        <translation>裁剪前梯度范数</translation>
    </message>
    <message>
        <source>follow the playhead</source>
        <translation>跟随播放</translation>
    </message>
    <message>
        <source>time step t</source>
        <translation>时间步</translation>
    </message>
    <message>
        <source>unrolled through time</source>
        <translation>按时间展开</translation>
    </message>
    <message>
        <source>the same W_xh, W_hh, W_hy at every step</source>
        <translation>每一步共享权重</translation>
    </message>
    <message>
        <source>forward sweep · node colour: unit {unit}&apos;s value (blue −1 … red +1) · the same weights at every step</source>
        <translation>前向传播 · 节点颜色：单元 {unit} 的值（蓝 −1 … 红 +1）· 每一步共享同一组权重</translation>
    </message>
    <message>
        <source>teal: delay-line (window) edges</source>
        <translation>青色：延迟线（窗口）连接</translation>
    </message>
    <message>
        <source>orange: true outputs fed back (teacher forcing)</source>
        <translation>橙色：反馈的真实输出（教师强制）</translation>
    </message>
    <message>
        <source>orange: outputs fed back</source>
        <translation>橙色：反馈的输出</translation>
    </message>
    <message>
        <source>forward sweep · no recurrent edge: {lines} · node colour: unit {unit}&apos;s value</source>
        <translation>前向计算 · 没有循环连接：{lines} · 节点颜色：单元 {unit} 的值</translation>
    </message>
    <message>
        <source>backward sweep · edge colour and width: ‖gradient‖ from 1e{low} (thin, dark) to 1e{top} (thick, bright)</source>
        <translation>反向传播 · 边的颜色与粗细：‖梯度‖ 从 1e{low}（细、暗）到 1e{top}（粗、亮）</translation>
    </message>
    <message>
        <source>Unroll did not close properly last time. Restore the work it autosaved at {time} ({labs})?</source>
        <translation>Unroll 上次没有正常关闭。要恢复它在 {time} 自动保存的工作（{labs}）吗？</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Start (Home)</source>
        <translation>回到开头 (Home)</translation>
    </message>
    <message>
        <source>Step back (←)</source>
        <translation>后退一步 (←)</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>播放 / 暂停 (空格)</translation>
    </message>
    <message>
        <source>Step forward (→)</source>
        <translation>前进一步 (→)</translation>
    </message>
    <message>
        <source>End (End)</source>
        <translation>跳到结尾 (End)</translation>
    </message>
    <message>
        <source>Timeline: drag to scrub</source>
        <translation>时间轴：拖动以浏览</translation>
    </message>
    <message>
        <source>Playback speed, frames per second</source>
        <translation>播放速度（帧/秒）</translation>
    </message>
    <message>
        <source>speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Preparing the numeric kernels…</source>
        <translation>正在准备数值内核…</translation>
    </message>
    <message>
        <source>The first start compiles them (about half a minute); later starts load them from the cache.</source>
        <translation>首次启动时编译内核（约半分钟）；之后的启动从缓存中加载。</translation>
    </message>
    <message>
        <source>no forget gate</source>
        <translation>无遗忘门</translation>
    </message>
    <message>
        <source>h_t of layer below</source>
        <translation>下层</translation>
    </message>
    <message>
        <source>backward</source>
        <translation>反向传播</translation>
    </message>
    <message>
        <source>forward</source>
        <translation>前向计算</translation>
    </message>
    <message>
        <source>blue: kept in the beam · grey, dashed: pruned · green: finished · orange: the marked path · on the edges: each hypothesis&apos; score, its sum of ln p</source>
        <translation>蓝：留在束中 · 灰色虚线：被剪掉 · 绿：已结束 · 橙：标出的路径 · 边上的数：每个假设的得分，即 ln p 之和</translation>
    </message>
    <message>
        <source>step</source>
        <translation>时刻</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>pseudoinverse</source>
        <translation>伪逆</translation>
    </message>
    <message>
        <source>layer {number}</source>
        <translation>第 {number} 层</translation>
    </message>
    <message>
        <source>(not yet sampled)</source>
        <translation>（尚未采样）</translation>
    </message>
    <message>
        <source>hidden probabilities</source>
        <translation>隐层概率</translation>
    </message>
    <message>
        <source>hidden sample</source>
        <translation>隐层样本</translation>
    </message>
    <message>
        <source>start</source>
        <translation>初始</translation>
    </message>
    <message>
        <source>visible probabilities</source>
        <translation>可见层概率</translation>
    </message>
    <message>
        <source>visible sample</source>
        <translation>可见层样本</translation>
    </message>
    <message>
        <source>sampled</source>
        <translation>采样得到</translation>
    </message>
    <message>
        <source>start v₀ (clamped pixels: orange; click a pixel to clamp or free it)</source>
        <translation>初始 v₀（橙色为固定的像素；点击像素可固定或释放）</translation>
    </message>
    <message>
        <source>Gibbs step {step} / {steps} — {what}</source>
        <translation>Gibbs 第 {step} / {steps} 步 — {what}</translation>
    </message>
    <message>
        <source>training data ({patterns} patterns)</source>
        <translation>训练数据（{patterns} 个模式）</translation>
    </message>
    <message>
        <source>samples: {chains} persistent chains, p(v | h)</source>
        <translation>模型样本：{chains} 条持续马尔可夫链，p(v | h)</translation>
    </message>
    <message>
        <source>Each chain started from random pixels and keeps running: {sweeps} Gibbs sweeps per update. A good model&apos;s samples look like the training data.</source>
        <translation>每条链从随机像素开始并持续运行：每次更新 {sweeps} 次 Gibbs 扫描。好的模型生成的样本看起来像训练数据。</translation>
    </message>
    <message>
        <source>input gate</source>
        <translation>输入门</translation>
    </message>
    <message>
        <source>forget gate</source>
        <translation>遗忘门</translation>
    </message>
    <message>
        <source>candidate memory</source>
        <translation>候选记忆</translation>
    </message>
    <message>
        <source>output gate</source>
        <translation>输出门</translation>
    </message>
    <message>
        <source>reset gate</source>
        <translation>重置门</translation>
    </message>
    <message>
        <source>update gate</source>
        <translation>更新门</translation>
    </message>
    <message>
        <source>candidate state</source>
        <translation>候选状态</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>激活</translation>
    </message>
    <message>
        <source>cell state</source>
        <translation>细胞状态</translation>
    </message>
    <message>
        <source>hidden state</source>
        <translation>隐状态</translation>
    </message>
    <message>
        <source>pre-activation</source>
        <translation>净输入</translation>
    </message>
    <message>
        <source>gradient</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>along c</source>
        <translation>沿细胞状态</translation>
    </message>
    <message>
        <source>direct path</source>
        <translation>直接通路</translation>
    </message>
    <message>
        <source>through φ</source>
        <translation>穿过激活</translation>
    </message>
    <message>
        <source>character-level text</source>
        <translation>字符级语言模型</translation>
    </message>
    <message>
        <source>embedded Reber grammar</source>
        <translation>嵌入式 Reber 文法</translation>
    </message>
    <message>
        <source>adding problem</source>
        <translation>加法问题</translation>
    </message>
    <message>
        <source>recall after a delay</source>
        <translation>延迟回忆</translation>
    </message>
    <message>
        <source>sine-wave prediction</source>
        <translation>正弦波预测</translation>
    </message>
    <message>
        <source>latching (Bengio 1994)</source>
        <translation>锁存任务（Bengio 1994）</translation>
    </message>
    <message>
        <source>running parity</source>
        <translation>奇偶校验</translation>
    </message>
    <message>
        <source>digits in six faces, {size}×{size}, {noise} noise</source>
        <translation>六种字形的数字，{size}×{size}，{noise} 噪声</translation>
    </message>
    <message>
        <source>bars and stripes {rows}×{cols}</source>
        <translation>横条与竖条 {rows}×{cols}</translation>
    </message>
    <message>
        <source>scikit-learn 8×8 digits</source>
        <translation>scikit-learn 8×8 数字</translation>
    </message>
    <message>
        <source>glyphs “{text}” at {size}×{size}</source>
        <translation>字形“{text}”，{size}×{size}</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Unrolled graph</source>
        <translation>展开图</translation>
    </message>
    <message>
        <source>Decoding</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>Accuracy by length</source>
        <translation>按长度的准确率</translation>
    </message>
    <message>
        <source>Gradient paths</source>
        <translation>梯度路径</translation>
    </message>
    <message>
        <source>Open pairs file</source>
        <translation>打开句对文件</translation>
    </message>
    <message>
        <source>Could not use {path}: {reason}</source>
        <translation>无法使用 {path}：{reason}</translation>
    </message>
    <message>
        <source>Seq2seq lab: training on {n} pairs</source>
        <translation>编码-解码实验：在 {n} 个句对上训练</translation>
    </message>
    <message>
        <source>{cell} · {units} hidden units · attention {kind}</source>
        <translation>{cell} · {units} 个隐藏单元 · 注意力 {kind}</translation>
    </message>
    <message>
        <source>{pairs} training pairs · step {step}</source>
        <translation>{pairs} 个训练句对 · 第 {step} 步</translation>
    </message>
    <message>
        <source>loss {loss} · teacher-forced accuracy {accuracy}</source>
        <translation>损失 {loss} · 教师强制准确率 {accuracy}</translation>
    </message>
    <message>
        <source>free running, exactly right {share}</source>
        <translation>自由运行，完全正确 {share}</translation>
    </message>
    <message>
        <source>No attention: the decoder sees the source only through the encoder&apos;s last state.</source>
        <translation>无注意力：解码器只能通过编码器的最后状态看到源序列。</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>source</source>
        <translation>源</translation>
    </message>
    <message>
        <source>“{source}” → “{output}”: attention a_ts of output step t over the source ({kind})</source>
        <translation>“{source}” → “{output}”：输出第 t 步在源序列上的注意力 a_ts（{kind}）</translation>
    </message>
    <message>
        <source>decoder step t = {t}</source>
        <translation>解码步 t = {t}</translation>
    </message>
    <message>
        <source>backward t = {t}</source>
        <translation>反向 t = {t}</translation>
    </message>
    <message>
        <source>Train on sources up to</source>
        <translation>训练源序列最长</translation>
    </message>
    <message>
        <source>Hidden units</source>
        <translation>隐藏单元</translation>
    </message>
    <message>
        <source>Embedding size</source>
        <translation>嵌入维数</translation>
    </message>
    <message>
        <source>Bidirectional encoder</source>
        <translation>双向编码器</translation>
    </message>
    <message>
        <source>Read the source reversed</source>
        <translation>倒序读入源序列</translation>
    </message>
    <message>
        <source>Input feeding</source>
        <translation>输入馈送</translation>
    </message>
    <message>
        <source>Attentional hidden state tanh(W_c[c;h])</source>
        <translation>注意力隐藏状态 tanh(W_c[c;h])</translation>
    </message>
    <message>
        <source>Teacher forcing ratio</source>
        <translation>教师强制比例</translation>
    </message>
    <message>
        <source>Scheduled sampling</source>
        <translation>计划采样</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>reverse</source>
        <translation>倒序</translation>
    </message>
    <message>
        <source>sort digits</source>
        <translation>数字排序</translation>
    </message>
    <message>
        <source>dates → ISO</source>
        <translation>日期 → ISO</translation>
    </message>
    <message>
        <source>addition in words</source>
        <translation>文字加法</translation>
    </message>
    <message>
        <source>my pairs file</source>
        <translation>我的句对文件</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>dot (Luong)</source>
        <translation>点积（Luong）</translation>
    </message>
    <message>
        <source>general (Luong)</source>
        <translation>一般（Luong）</translation>
    </message>
    <message>
        <source>additive (Bahdanau)</source>
        <translation>加性（Bahdanau）</translation>
    </message>
    <message>
        <source>RNN (tanh)</source>
        <translation>RNN（tanh）</translation>
    </message>
    <message>
        <source>50 steps</source>
        <translation>50 步</translation>
    </message>
    <message>
        <source>New model</source>
        <translation>新模型</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>测量</translation>
    </message>
    <message>
        <source>Latching (Bengio et al. 1994): the first value is ±1, noise follows; at the end, name its sign. A run succeeds when it names it for {acc:.0%} of new sequences.</source>
        <translation>锁存任务（Bengio 等 1994）：第一个值为 ±1，其后是噪声；在末尾说出它的符号。对 {acc:.0%} 的新序列答对即算一次成功。</translation>
    </message>
    <message>
        <source>TDNN of {layers} layers × window {window}, NARX with {ky} output delays, {hidden} units each, {steps} training steps.</source>
        <translation>TDNN 为 {layers} 层 × 窗口 {window}，NARX 有 {ky} 个输出延迟，各 {hidden} 个单元，训练 {steps} 步。</translation>
    </message>
    <message>
        <source>success rate against sequence length</source>
        <translation>成功率与序列长度</translation>
    </message>
    <message>
        <source>sequence length T</source>
        <translation>序列长度 T</translation>
    </message>
    <message>
        <source>runs that succeed</source>
        <translation>成功的训练次数比例</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>TDNN sees {n} steps</source>
        <translation>TDNN 只能看到 {n} 步</translation>
    </message>
    <message>
        <source>{name}: above 50 % up to T = {n}</source>
        <translation>{name}：直到 T = {n} 仍高于 50 %</translation>
    </message>
    <message>
        <source>{name}: 50 % at T ≈ {n}</source>
        <translation>{name}：在 T ≈ {n} 处降到 50 %</translation>
    </message>
    <message>
        <source>Model and task</source>
        <translation>模型与任务</translation>
    </message>
    <message>
        <source>Open pairs file…</source>
        <translation>打开句对文件…</translation>
    </message>
    <message>
        <source>UTF-8 text, one pair a line: source&lt;TAB&gt;target</source>
        <translation>UTF-8 文本，每行一对：源&lt;TAB&gt;目标</translation>
    </message>
    <message>
        <source>loss (nats per token)</source>
        <translation>损失（每词元奈特）</translation>
    </message>
    <message>
        <source>teacher-forced</source>
        <translation>教师强制</translation>
    </message>
    <message>
        <source>free running</source>
        <translation>自由运行</translation>
    </message>
    <message>
        <source>tokens, teacher-forced</source>
        <translation>词元，教师强制</translation>
    </message>
    <message>
        <source>tokens, free running</source>
        <translation>词元，自由运行</translation>
    </message>
    <message>
        <source>outputs exactly right</source>
        <translation>完全正确的输出</translation>
    </message>
    <message>
        <source>(optional) the right answer, to compare</source>
        <translation>（可选）正确答案，用于比较</translation>
    </message>
    <message>
        <source>(optional) force the output to begin so</source>
        <translation>（可选）强制输出以此开头</translation>
    </message>
    <message>
        <source>1: greedy search; more: beam search of that width</source>
        <translation>1：贪心搜索；更大：该宽度的束搜索</translation>
    </message>
    <message>
        <source>GNMT length penalty α: hypotheses ranked by score / ((5 + |Y|) / 6)^α</source>
        <translation>GNMT 长度惩罚 α：按 得分 / ((5 + |Y|) / 6)^α 排序假设</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>源序列</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Forced prefix</source>
        <translation>强制前缀</translation>
    </message>
    <message>
        <source>Beam width</source>
        <translation>束宽</translation>
    </message>
    <message>
        <source>Length penalty</source>
        <translation>长度惩罚</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <source>beam of {width}</source>
        <translation>宽 {width} 的束搜索</translation>
    </message>
    <message>
        <source>Output ({how}, ln p = {score}):</source>
        <translation>输出（{how}，ln p = {score}）：</translation>
    </message>
    <message>
        <source>loss at target step t</source>
        <translation>目标第 t 步的损失</translation>
    </message>
    <message>
        <source>encoder state h̄_s</source>
        <translation>编码器状态 h̄_s</translation>
    </message>
    <message>
        <source>‖∂L_t/∂h̄_s‖, each row on a log scale of {decades} decades below its largest entry; attention: {kind}. With attention every target step reaches every source step directly; without, only through the encoder&apos;s last state.</source>
        <translation>‖∂L_t/∂h̄_s‖，每行以该行最大值为准取对数刻度（{decades} 个数量级）；注意力：{kind}。有注意力时每个目标步直接到达每个源步；没有时只能经过编码器的最后状态。</translation>
    </message>
    <message>
        <source>decoder h_t (writes)</source>
        <translation>解码器 h_t（写）</translation>
    </message>
    <message>
        <source>backward: node colour ‖∂L/∂h‖</source>
        <translation>反向：节点颜色 ‖∂L/∂h‖</translation>
    </message>
    <message>
        <source>encoder h̄_s (reads)</source>
        <translation>编码器 h̄_s（读）</translation>
    </message>
    <message>
        <source>Train both and compare</source>
        <translation>训练两者并比较</translation>
    </message>
    <message>
        <source>Trains the lab&apos;s model and the same without attention, on the same pairs.</source>
        <translation>在相同句对上训练本实验的模型和不带注意力的同一模型。</translation>
    </message>
    <message>
        <source>source length (characters)</source>
        <translation>源序列长度（字符）</translation>
    </message>
    <message>
        <source>with attention</source>
        <translation>有注意力</translation>
    </message>
    <message>
        <source>without attention</source>
        <translation>无注意力</translation>
    </message>
    <message>
        <source>longest trained</source>
        <translation>训练过的最长</translation>
    </message>
    <message>
        <source>Not compared yet: press “Train both and compare”.</source>
        <translation>尚未比较：请按“训练两者并比较”。</translation>
    </message>
    <message>
        <source>Training… {percent}%</source>
        <translation>训练中… {percent}%</translation>
    </message>
    <message>
        <source>{steps} training steps each; attention: {kind}</source>
        <translation>各训练 {steps} 步；注意力：{kind}</translation>
    </message>
    <message>
        <source>exact P</source>
        <translation>精确概率 P</translation>
    </message>
    <message>
        <source>sampled frequency</source>
        <translation>采样频率</translation>
    </message>
    <message>
        <source>Sampled states against the exact distribution</source>
        <translation>采样状态与精确分布对比</translation>
    </message>
    <message>
        <source>At T = {T}: {samples} samples, total variation distance {tv}</source>
        <translation>T = {T}：{samples} 个样本，总变差距离 {tv}</translation>
    </message>
    <message>
        <source>state of the free units (lowest-numbered first), most probable first</source>
        <translation>自由单元的状态（编号小的在前），按概率从大到小</translation>
    </message>
    <message>
        <source>codes distinct since cycle {cycle}</source>
        <translation>自第 {cycle} 周期起编码各不相同</translation>
    </message>
    <message>
        <source>codes distinct</source>
        <translation>编码各不相同</translation>
    </message>
    <message>
        <source>G (nats)</source>
        <translation>G（奈特）</translation>
    </message>
    <message>
        <source>Codes by cycle (a colour per code)</source>
        <translation>各周期的编码（每种编码一种颜色）</translation>
    </message>
    <message>
        <source>learning cycle</source>
        <translation>学习周期</translation>
    </message>
    <message>
        <source>training vector</source>
        <translation>训练向量</translation>
    </message>
    <message>
        <source>Codes now</source>
        <translation>当前编码</translation>
    </message>
    <message>
        <source>code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 上一步</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <source>The previous step (PageUp)</source>
        <translation>上一步（PageUp）</translation>
    </message>
    <message>
        <source>The next step (PageDown)</source>
        <translation>下一步（PageDown）</translation>
    </message>
    <message>
        <source>Lab controls</source>
        <translation>实验室控制栏</translation>
    </message>
    <message>
        <source>Show the lab&apos;s controls beside its views while the lesson plays</source>
        <translation>上课时在视图旁显示实验室的控制栏</translation>
    </message>
    <message>
        <source>No lesson open</source>
        <translation>没有打开的课</translation>
    </message>
    <message>
        <source>Choose a lesson from the Lessons menu, or open a lesson file.</source>
        <translation>从“课程”菜单选一课，或打开一个课程文件。</translation>
    </message>
    <message>
        <source>Step {k} of {n}</source>
        <translation>第 {k} 步，共 {n} 步</translation>
    </message>
    <message>
        <source>No steps yet</source>
        <translation>还没有步骤</translation>
    </message>
    <message>
        <source>Set a lab up, then add this moment as a step.</source>
        <translation>先把实验室设置好，再把此刻添加为一步。</translation>
    </message>
    <message>
        <source>Getting this step ready in the background: {done} of {total}</source>
        <translation>正在后台准备这一步：{done} / {total}</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>Open a lesson file…</source>
        <translation>打开课程文件…</translation>
    </message>
    <message>
        <source>New lesson</source>
        <translation>新建课程</translation>
    </message>
    <message>
        <source>Open a lesson</source>
        <translation>打开课程</translation>
    </message>
    <message>
        <source>Click a character to see its nearest neighbours.</source>
        <translation>点击一个字符，查看与它最近的字符。</translation>
    </message>
    <message>
        <source>principal axis 1 ({share:.0%} of the variance)</source>
        <translation>主轴 1（方差的 {share:.0%}）</translation>
    </message>
    <message>
        <source>principal axis 2 ({share:.0%})</source>
        <translation>主轴 2（{share:.0%}）</translation>
    </message>
    <message>
        <source>Nearest to “{char}” (cosine similarity):</source>
        <translation>与“{char}”最近的字符（余弦相似度）：</translation>
    </message>
    <message>
        <source>from character</source>
        <translation>起始字符</translation>
    </message>
    <message>
        <source>reading “{text}”</source>
        <translation>读入“{text}”</translation>
    </message>
    <message>
        <source>No samples yet: one is written every {n} training steps.</source>
        <translation>还没有样本：每训练 {n} 步写一个样本。</translation>
    </message>
    <message>
        <source>surprisal −log₂ p (bits)</source>
        <translation>意外度 −log₂ p（比特）</translation>
    </message>
    <message>
        <source>hidden unit</source>
        <translation>隐藏单元</translation>
    </message>
    <message>
        <source>colour by</source>
        <translation>着色依据</translation>
    </message>
    <message>
        <source>hidden unit {unit} of layer {layer} after each character: blue −1, white 0, red +1</source>
        <translation>每个字符之后第 {layer} 层隐藏单元 {unit} 的值：蓝 −1，白 0，红 +1</translation>
    </message>
    <message>
        <source>surprisal of each character, white 0 bits to dark red {top} bits; mean {mean:.2f} bits a character (training step {step}). Hover a character for what the model expected next.</source>
        <translation>每个字符的意外度，白色 0 比特到深红 {top} 比特；平均每字符 {mean:.2f} 比特（训练第 {step} 步）。鼠标悬停在字符上可看模型预期的下一个字符。</translation>
    </message>
    <message>
        <source>{bits:.2f} bits</source>
        <translation>{bits:.2f} 比特</translation>
    </message>
    <message>
        <source>next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>step {t} of {n}: wrote “{char}”, probability {p:.1%}; the bars are the distribution it was drawn from (orange: the character written)</source>
        <translation>第 {t} / {n} 步：写出“{char}”，概率 {p:.1%}；柱状图是它所抽自的分布（橙色：写出的字符）</translation>
    </message>
    <message>
        <source>probability {p:.1%}</source>
        <translation>概率 {p:.1%}</translation>
    </message>
    <message>
        <source>deep autoencoder: code units 1 and 2</source>
        <translation>深度自编码器：第 1、2 个编码单元</translation>
    </message>
    <message>
        <source>PCA: components 1 and 2</source>
        <translation>PCA：第 1、2 主成分</translation>
    </message>
    <message>
        <source>epoch (all layers, in turn)</source>
        <translation>轮次（各层依次）</translation>
    </message>
    <message>
        <source>squared error per image</source>
        <translation>每张图像的平方误差</translation>
    </message>
    <message>
        <source>fine-tuning epoch</source>
        <translation>微调轮次</translation>
    </message>
    <message>
        <source>layer {layer}</source>
        <translation>第 {layer} 层</translation>
    </message>
    <message>
        <source>MNIST test images, 30-D code: autoencoder 3.00 · logistic PCA 8.01 · PCA 13.87</source>
        <translation>MNIST 测试图像，30 维编码：自编码器 3.00 · 逻辑 PCA 8.01 · PCA 13.87</translation>
    </message>
    <message>
        <source>held-out images, {code}-D code: autoencoder {error} · PCA {pca}</source>
        <translation>留出图像，{code} 维编码：自编码器 {error} · PCA {pca}</translation>
    </message>
    <message>
        <source>published (Hinton &amp; Salakhutdinov 2006): {published}&lt;br&gt;here: {ours}</source>
        <translation>论文（Hinton &amp; Salakhutdinov 2006）：{published}&lt;br&gt;本实验：{ours}</translation>
    </message>
    <message>
        <source>pre-training: each RBM&apos;s reconstruction error</source>
        <translation>预训练：每个 RBM 的重构误差</translation>
    </message>
    <message>
        <source>fine-tuning: squared error per image</source>
        <translation>微调：每张图像的平方误差</translation>
    </message>
    <message>
        <source>deep autoencoder: {error} squared error per image (all held-out images)</source>
        <translation>深度自编码器：每张图像平方误差 {error}（全部留出图像）</translation>
    </message>
    <message>
        <source>held-out originals</source>
        <translation>留出原图</translation>
    </message>
    <message>
        <source>PCA, same code size: {error}</source>
        <translation>PCA，相同编码维数：{error}</translation>
    </message>
    <message>
        <source>confusion: true class (rows) × chosen label (columns)</source>
        <translation>混淆矩阵：真实类别（行）× 选出的标签（列）</translation>
    </message>
    <message>
        <source>held-out image {i}: class {true}, chosen {chosen}</source>
        <translation>留出图像 {i}：类别 {true}，选出 {chosen}</translation>
    </message>
    <message>
        <source>free energy F(x, label) − its lowest: the lowest label wins</source>
        <translation>自由能 F(x, 标签) − 其最小值：最低者胜出</translation>
    </message>
    <message>
        <source>held-out accuracy {accuracy:.1%} on {n} images</source>
        <translation>{n} 张留出图像上的准确率 {accuracy:.1%}</translation>
    </message>
    <message>
        <source>label units free</source>
        <translation>标签单元自由</translation>
    </message>
    <message>
        <source>label clamped to {name}</source>
        <translation>标签固定为 {name}</translation>
    </message>
    <message>
        <source>one chain per class, left to right: {names}</source>
        <translation>每类一条链，从左到右：{names}</translation>
    </message>
    <message>
        <source>Gibbs sampling at the top RBM, then one top-down pass p(v | h) to the pixels</source>
        <translation>在顶层 RBM 中吉布斯采样，再自上而下经 p(v | h) 传到像素</translation>
    </message>
    <message>
        <source>layer {layer}: {shown} of its {units} units&apos; weights, carried down to the pixels</source>
        <translation>第 {layer} 层：{units} 个单元中 {shown} 个的权重，投影到像素</translation>
    </message>
    <message>
        <source>reconstruction error of each layer&apos;s input</source>
        <translation>各层输入的重构误差</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b2182b&apos;&gt;■ red: positive weight&lt;/span&gt; &amp;nbsp; &lt;span style=&apos;color:#2166ac&apos;&gt;■ blue: negative&lt;/span&gt; &amp;nbsp; white: zero · each tile scaled to its largest |w|</source>
        <translation>&lt;span style=&apos;color:#b2182b&apos;&gt;■ 红：正权重&lt;/span&gt; &amp;nbsp; &lt;span style=&apos;color:#2166ac&apos;&gt;■ 蓝：负权重&lt;/span&gt; &amp;nbsp; 白：零 · 每块按其最大 |w| 缩放</translation>
    </message>
    <message>
        <source>0 (before start)</source>
        <translation>0（序列开始前）</translation>
    </message>
    <message>
        <source>(the same for every tap)</source>
        <translation>（每个抽头相同）</translation>
    </message>
    <message>
        <source>older taps</source>
        <translation>更早的抽头</translation>
    </message>
    <message>
        <source>its own past outputs</source>
        <translation>它自己过去的输出</translation>
    </message>
    <message>
        <source>the true past outputs</source>
        <translation>真实的过去输出</translation>
    </message>
    <message>
        <source>NARX: a window of {kx} inputs and {ky} outputs fed back ({loop}); its memory reaches past the input window only through the outputs.</source>
        <translation>NARX：{kx} 个输入的窗口和 {ky} 个反馈输出（{loop}）；超出输入窗口的记忆只能经由输出反馈传递。</translation>
    </message>
    <message>
        <source>This sequence: loss {tf:.4f} teacher-forced, {cl:.4f} closed-loop.</source>
        <translation>本序列：教师强制损失 {tf:.4f}，闭环损失 {cl:.4f}。</translation>
    </message>
    <message>
        <source>{name}: no recurrent edge. The output at t sees the input back to t−{back} and nothing older: the window is all the memory there is.</source>
        <translation>{name}：没有循环连接。t 时刻的输出只能看到 t−{back} 以来的输入，更早的都看不到：窗口就是全部的记忆。</translation>
    </message>
    <message>
        <source>learned: next value = {w0} + {w} · (x_t, x_(t−1), …)</source>
        <translation>学到的：下一个值 = {w0} + {w} · (x_t, x_(t−1), …)</translation>
    </message>
    <message>
        <source>least squares on this sequence: {w0} + {w} · (x_t, x_(t−1), …)</source>
        <translation>在本序列上的最小二乘：{w0} + {w} · (x_t, x_(t−1), …)</translation>
    </message>
</context>
</TS>

package demo

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"

	"smartdiag/assessment"
)

// firmText is what a demo firm says about itself, by GB/T 4754 division: main products, main
// processes, and problems in the words a production or IT manager would use in an interview.
type firmText struct {
	products  []string
	processes []string
	pains     []string
}

var firmTexts = map[string]firmText{
	"34": {
		products:  []string{"离心泵", "齿轮减速机", "液压阀组", "空压机整机", "轴承座"},
		processes: []string{"下料、数控车铣、热处理、装配、试压", "铸件粗加工、精加工、动平衡、总装、性能测试"},
		pains: []string{"订单多是小批量定制，车间排产靠计划员经验，插单一多交期就乱。",
			"加工中心开动率说不清，设备停机原因靠班组长手写在本子上。",
			"图纸版本在技术部和车间之间经常对不上，返工主要出在这里。",
			"老师傅退休后装配调试经验没留下来，新人上手要半年以上。"},
	},
	"35": {
		products:  []string{"自动化装配线", "非标检测设备", "包装机械", "工业机器人工作站", "医用灭菌设备"},
		processes: []string{"方案设计、钣金加工、机加工、电气装配、整机调试", "设计、外协件采购、装配、联调、客户现场验收"},
		pains: []string{"每台设备都是非标，BOM 在设计阶段反复变，采购经常买错或买晚。",
			"项目进度全靠 Excel 跟踪，几个项目同时赶工时资源冲突看不清。",
			"售后在客户现场排故全靠打电话，设备运行数据拿不到。",
			"外协件到货质量不稳定，来料检验记录还是纸质的。"},
	},
	"36": {
		products:  []string{"制动钳总成", "座椅骨架", "线束总成", "铝合金压铸壳体", "车灯模组"},
		processes: []string{"冲压、焊接、涂装、总成装配", "压铸、去毛刺、机加工、清洗、气密检测"},
		pains: []string{"主机厂要求零件全程追溯到批次，现在出一次质量问题要翻好几天纸质记录。",
			"主机厂的要货计划每周变，库存不是积压就是断料。",
			"焊接参数靠人工点检，出了虚焊很难查到是哪一班哪台设备。",
			"PPAP 资料准备工作量大，质量部人手不够。"},
	},
	"38": {
		products:  []string{"中低压开关柜", "箱式变电站", "储能变流器", "永磁同步电机", "光伏接线盒"},
		processes: []string{"钣金、喷塑、元器件装配、接线、出厂试验", "绕线、嵌线、浸漆、装配、型式试验"},
		pains: []string{"出厂试验数据手工抄录再录入，报告出具慢还容易抄错。",
			"铜材价格波动大，报价时算不清单台成本。",
			"生产计划和物料齐套靠开会协调，每周例会要开半天。",
			"能耗主要在浸漆烘干，但没有分线分设备计量。"},
	},
	"39": {
		products:  []string{"SMT 贴片板卡", "光模块", "工业网关", "传感器模组", "显示驱动板"},
		processes: []string{"锡膏印刷、贴片、回流焊、AOI、功能测试、包装", "芯片贴装、耦合、老化、测试、分选"},
		pains: []string{"换线频繁，首件确认慢，一次换线要停一个多小时。",
			"AOI 误报多，复判全靠人工，质检员跟不上产线节拍。",
			"客户要求按序列号追溯物料批次，现在只能追到工单。",
			"元器件缺料信息传到车间太晚，经常开线后才发现缺料。"},
	},
	"40": {
		products:  []string{"电磁流量计", "压力变送器", "在线分析仪", "实验室检测仪器"},
		processes: []string{"电路板装配、传感器标定、整机装配、校准、出厂检验", "机加工、装配、标定、老化、检定"},
		pains: []string{"标定数据分散在各台标定设备的电脑里，出证书要手工汇总。",
			"产品型号规格组合多，销售下单时选型常出错。",
			"售出仪表的运行状态和故障率没有统计，改进设计缺数据。"},
	},
	"33": {
		products:  []string{"不锈钢钣金机箱", "五金冲压件", "钢结构件", "紧固件"},
		processes: []string{"激光切割、折弯、焊接、打磨、喷涂", "冲压、攻丝、热处理、表面处理、包装"},
		pains: []string{"板材利用率低，排料还是编程员手工排。",
			"车间报工靠纸质流转卡，月底才知道每个订单做了多少。",
			"表面处理外协，来回运输和交期经常对不上。"},
	},
	"29": {
		products:  []string{"注塑件", "汽车密封条", "改性塑料粒子", "橡胶减震件"},
		processes: []string{"配料、混炼、注塑、修边、检验包装", "密炼、挤出、硫化、裁断、检验"},
		pains: []string{"注塑机工艺参数各班组自己调，同一模具不同班次的不良率差很多。",
			"模具保养靠记忆，常常是坏了才修。",
			"配方和投料记录是纸质的，客户来审核时很难拿出完整记录。"},
	},
	"26": {
		products:  []string{"水性涂料", "电子化学品", "表面活性剂", "精细化工中间体"},
		processes: []string{"投料、反应、蒸馏、过滤、灌装", "配料、分散、研磨、调色、过滤、包装"},
		pains: []string{"危化品出入库台账靠手工登记，安监检查前要集中补记录。",
			"反应釜温度压力有 DCS，但数据不保存，批次质量问题难以分析。",
			"能耗和三废排放只有月度总数，不知道是哪个装置用得多。"},
	},
	"27": {
		products:  []string{"口服固体制剂", "原料药", "体外诊断试剂", "中药饮片"},
		processes: []string{"称量、制粒、压片、包衣、包装", "发酵、提取、纯化、干燥、分装"},
		pains: []string{"批生产记录还是纸质的，QA 审核一批要两三天。",
			"GMP 要求的设备日志、清洁记录分散，检查前要花大量时间整理。",
			"偏差和变更流程靠纸质签批，跨部门流转慢。"},
	},
	"30": {
		products:  []string{"商品混凝土", "加气混凝土砌块", "玻璃深加工制品", "保温材料"},
		processes: []string{"配料、搅拌、浇注、切割、蒸压养护", "切割、磨边、钢化、中空合片、包装"},
		pains: []string{"窑炉和蒸压釜是用能大户，但没有实时能耗监测。",
			"订单尺寸规格杂，切割排版浪费大。",
			"发货车辆调度靠电话，司机排队时间长。"},
	},
	"14": {
		products:  []string{"烘焙食品", "调味酱料", "乳制品", "速冻食品"},
		processes: []string{"原料验收、配料、加工、杀菌、灌装、包装", "原料处理、调配、发酵、灌装、杀菌、冷藏"},
		pains: []string{"食品安全追溯要求到原料批次，现在靠纸质记录，追溯要一天以上。",
			"冷库温度靠人工定时记录，夜间出过超温没及时发现。",
			"节假日订单波动大，人员排班和原料备货跟不上。"},
	},
	"22": {
		products:  []string{"瓦楞纸箱", "彩印包装盒", "食品包装纸"},
		processes: []string{"瓦楞纸板生产、印刷、模切、糊盒、打包", "印前制版、胶印、覆膜、模切、糊盒"},
		pains: []string{"订单小而杂，换版时间占了印刷机一小半产能。",
			"纸板损耗没有按订单核算，利润算不清。",
			"客户催货电话多，业务员不知道订单做到哪一步了。"},
	},
	"37": {
		products:  []string{"轨道车辆内饰件", "航空结构件", "转向架零部件"},
		processes: []string{"数控加工、热处理、表面处理、无损检测、装配", "下料、机加工、焊接、探伤、涂装、总装"},
		pains: []string{"客户要求每个零件的完整质量档案，现在靠人工整理纸质记录。",
			"关键工序的特种工艺参数记录不全，审核时经常被开不符合项。",
			"五轴加工中心的程序和刀具管理混乱，首件调试时间长。"},
	},
}

// describe fills the firm's products, processes and pain points from its industry. It draws from
// its own generator, seeded by the firm's credit code, so the main sequence (and every other
// field of every demo document) is the same as without it.
func describe(e *assessment.Enterprise) {
	t, ok := firmTexts[e.Industry]
	if !ok {
		return
	}
	h := fnv.New64a()
	h.Write([]byte(e.CreditCode))
	r := rand.New(rand.NewPCG(h.Sum64(), 0xf1e1d))
	perm := r.Perm(len(t.products))
	n := 1 + r.IntN(2)
	var products []string
	for _, i := range perm[:n] {
		products = append(products, t.products[i])
	}
	e.Products = strings.Join(products, "、")
	e.Processes = t.processes[r.IntN(len(t.processes))]
	perm = r.Perm(len(t.pains))
	for _, i := range perm[:2+r.IntN(2)] {
		e.PainPoints = append(e.PainPoints, t.pains[i])
	}
}

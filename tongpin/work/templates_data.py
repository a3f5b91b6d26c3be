"""The responsibility-list templates every installation starts with (data, editable later).

Sources: 机关条例 (中国共产党党和国家机关基层组织工作条例, 2019) Art10 for the agency committee,
Art35 for the leadership group (rule JG-12); 支部条例 for a branch (rules BR-03…BR-11).
Items may hold {organization}, {departments} and {year}, filled when a list is generated.
"""

TEMPLATES = [
    {
        "kind": "leadership_group",
        "name": "党组（党委）落实全面从严治党主体责任清单",
        "basis": "机关条例第35条（JG-12）",
        "items": [
            (
                "political",
                "党组书记履行抓党建第一责任人职责，对{year}年度机关党建重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要案件亲自督办。",
            ),
            (
                "political",
                "把党的政治建设摆在首位，坚决维护党中央权威和集中统一领导，落实“第一议题”制度。",
            ),
            (
                "institutional",
                "每年至少两次专题研究机关党建工作，党建工作与业务工作同谋划、同部署、同落实、同检查。",
            ),
            (
                "organizational",
                "支持机关党委开展工作，配齐配强专职党务干部，保障党建工作经费和活动阵地。",
            ),
            ("ideological", "落实理论学习中心组学习制度；党组书记每年至少为党员讲一次党课。"),
            (
                "organizational",
                "每年召开民主生活会；党组成员以普通党员身份参加所在党支部组织生活（双重组织生活）。",
            ),
            (
                "discipline",
                "履行全面从严治党主体责任，支持纪检监察机构履行监督责任，抓好党风廉政建设。",
            ),
            ("institutional", "每年向上级党组织报告党建工作情况，接受考核评价。"),
        ],
    },
    {
        "kind": "leader",
        "name": "党组成员“一岗双责”责任清单",
        "basis": "机关条例第35条（JG-12）",
        "items": [
            ("political", "履行“一岗双责”，对分管的{departments}的党建工作负直接领导责任。"),
            (
                "organizational",
                "每年至少到分管处室所在党支部调研指导党建工作一次，参加一次党支部组织生活。",
            ),
            ("organizational", "以普通党员身份参加所在党支部组织生活，带头讲党课。"),
            (
                "institutional",
                "推动{departments}{year}年度重点工作与党建工作同部署、同落实、同检查。",
            ),
            ("discipline", "对分管处室干部开展廉政提醒谈话，抓好分管领域廉政风险防控。"),
            ("conduct", "在民主生活会上对照检查履行“一岗双责”情况。"),
        ],
    },
    {
        "kind": "agency_committee",
        "name": "机关党委工作职责清单",
        "basis": "机关条例第10条",
        "items": [
            (
                "political",
                "宣传和执行党的路线方针政策，宣传和执行党中央、上级组织和本组织的决议，团结带领党员和群众完成本机关{year}年度各项任务。",
            ),
            (
                "ideological",
                "组织党员认真学习习近平新时代中国特色社会主义思想，学习党的路线方针政策和决议，学习党的基本知识和业务知识。",
            ),
            (
                "organizational",
                "对党员进行教育、管理、监督和服务，严格党的组织生活，指导各党支部落实“三会一课”、主题党日、组织生活会和民主评议党员。",
            ),
            (
                "organizational",
                "指导机关各级党组织按期换届，做好发展党员、党费收缴使用管理和组织关系转接工作，推进“四强”党支部创建。",
            ),
            (
                "institutional",
                "推动党建工作与业务工作同谋划、同部署、同落实、同检查，围绕机关中心工作开展党建活动。",
            ),
            ("conduct", "协助党组加强机关作风建设，整治形式主义、官僚主义，为基层减负。"),
            ("discipline", "协助党组抓好党风廉政建设，支持机关纪委履行监督执纪问责职责。"),
            (
                "organizational",
                "了解、反映党员和群众的意见建议，维护其正当权益，领导机关工会、共青团、妇女组织等群团组织。",
            ),
            ("institutional", "每年向党组报告党建工作，组织基层党组织书记述职评议考核。"),
        ],
    },
    {
        "kind": "branch",
        "name": "党支部书记抓党建工作责任清单",
        "basis": "支部条例；机关条例第39条",
        "items": [
            (
                "political",
                "履行{organization}抓党建第一责任人职责，组织落实党中央和上级党组织的决策部署。",
            ),
            ("ideological", "组织党员开展理论学习，落实“第一议题”，带头讲党课。"),
            (
                "organizational",
                "严格落实“三会一课”：支部党员大会一般每季度一次，支部委员会会议、党小组会一般每月一次。",
            ),
            (
                "organizational",
                "每月固定时间开展主题党日；每年至少召开一次组织生活会，开展民主评议党员和谈心谈话。",
            ),
            ("organizational", "做好党员教育管理、发展党员、党费收缴和组织关系转接工作。"),
            (
                "institutional",
                "围绕{departments}{year}年度重点工作谋划党建工作，推动党建和业务深度融合，防止“两张皮”。",
            ),
            ("discipline", "加强党员日常教育监督，开展廉政风险防控和提醒谈话。"),
            ("conduct", "关心关爱党员群众，及时了解反映意见建议。"),
            ("institutional", "每年向上级党组织述职，接受评议考核。"),
        ],
    },
]
